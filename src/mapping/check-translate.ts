import { literalMy, quoteMy } from '../target/mysql/quote.js';

/**
 * Translates a PostgreSQL CHECK expression (as pg_get_constraintdef prints it) into MySQL, only when the
 * meaning is surely the same: column references, numbers, comparisons, string (in)equality, AND/OR/NOT,
 * IS [NOT] NULL, TRUE/FALSE, and casts PostgreSQL prints around literals and columns. Anything else (a
 * function, a regular expression, ANY(ARRAY…), string ordering, which depends on the collation) gives
 * undefined and the constraint is listed as not carried. `VALUE` (a domain's check) stands for `column`.
 */
export function translateCheck(definition: string, columns: readonly string[], valueColumn?: string): string | undefined {
  const body = /^CHECK\s*\(([\s\S]*)\)\s*(NOT VALID)?$/i.exec(definition.trim());
  if (!body?.[1] || body[2]) return undefined;
  const tokens = tokenize(body[1]);
  if (!tokens) return undefined;
  const out: string[] = [];
  const kinds: Array<'col' | 'num' | 'str' | 'op' | 'other'> = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind === 'cast') continue;
    if (t.kind === 'ident') {
      const name = t.text === 'VALUE' && valueColumn !== undefined ? valueColumn : t.text;
      const upper = t.text.toUpperCase();
      if (!t.quoted && ['AND', 'OR', 'NOT', 'IS', 'NULL', 'TRUE', 'FALSE'].includes(upper)) {
        out.push(upper);
        kinds.push('other');
        continue;
      }
      if (!columns.includes(name)) return undefined;
      out.push(quoteMy(name));
      kinds.push('col');
    } else if (t.kind === 'number') {
      out.push(t.text);
      kinds.push('num');
    } else if (t.kind === 'string') {
      out.push(literalMy(t.text));
      kinds.push('str');
    } else if (t.kind === 'op') {
      out.push(t.text === '!=' ? '<>' : t.text);
      kinds.push('op');
    } else {
      out.push(t.text);
      kinds.push('other');
    }
  }
  // Ordering strings depends on the collation: keep only = and <> next to a string.
  for (let i = 0; i < out.length; i++) {
    if (kinds[i] === 'op' && !['=', '<>'].includes(out[i] as string) && (kinds[i - 1] === 'str' || kinds[i + 1] === 'str')) return undefined;
  }
  return out.join(' ').replace(/\( /g, '(').replace(/ \)/g, ')');
}

type Token =
  | { kind: 'ident'; text: string; quoted: boolean }
  | { kind: 'number' | 'string' | 'op' | 'paren' | 'cast'; text: string };

const CASTABLE = /^(numeric|integer|bigint|smallint|text|character varying|double precision|real|boolean|date|timestamp without time zone|character)(\(\d+(,\d+)?\))?$/;

function tokenize(s: string): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const rest = s.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^\s+/.exec(rest))) { i += m[0].length; continue; }
    if ((m = /^::((?:[a-z]+(?: [a-z]+)*)(?:\(\d+(?:,\d+)?\))?)/.exec(rest))) {
      if (!CASTABLE.test(m[1] ?? '')) return undefined;
      tokens.push({ kind: 'cast', text: m[1] ?? '' });
    } else if ((m = /^'((?:[^']|'')*)'/.exec(rest))) {
      tokens.push({ kind: 'string', text: (m[1] ?? '').replace(/''/g, "'") });
    } else if ((m = /^"((?:[^"]|"")+)"/.exec(rest))) {
      tokens.push({ kind: 'ident', text: (m[1] ?? '').replace(/""/g, '"'), quoted: true });
    } else if ((m = /^-?\d+(\.\d+)?(e[-+]?\d+)?/i.exec(rest))) {
      tokens.push({ kind: 'number', text: m[0] });
    } else if ((m = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(rest))) {
      if (s[i + m[0].length] === '(') return undefined; // a function call
      tokens.push({ kind: 'ident', text: m[0], quoted: false });
    } else if ((m = /^(<=|>=|<>|!=|=|<|>)/.exec(rest))) {
      tokens.push({ kind: 'op', text: m[0] });
    } else if ((m = /^[()]/.exec(rest))) {
      tokens.push({ kind: 'paren', text: m[0] });
    } else {
      return undefined;
    }
    i += m[0].length;
  }
  return tokens;
}
