import { typeName, type ColumnType } from '../model/catalog.js';
import { literalMy, quoteMy } from '../target/mysql/quote.js';

/**
 * Translates a PostgreSQL CHECK expression (as pg_get_constraintdef prints it) into MySQL, only when the
 * meaning is surely the same: column references, numbers, comparisons, string (in)equality, AND/OR/NOT,
 * IS [NOT] NULL, TRUE/FALSE, `= ANY (ARRAY[…])` / `<> ALL (ARRAY[…])` of literals (as IN / NOT IN), and
 * casts that change nothing: of a literal to its own kind (`'-40'::integer` is -40), of a column to its own
 * type's kind (`(status)::text` on varchar). Anything else (a cast to double precision, which compares in
 * binary floating point, a function, a regular expression, string ordering, which depends on the
 * collation) gives undefined and the constraint is listed as not carried. `VALUE` (a domain's check)
 * stands for `column`; `types` gives each column's PostgreSQL type name.
 */
export function translateCheck(definition: string, columns: readonly string[], valueColumn?: string, types?: ReadonlyMap<string, string>): string | undefined {
  const body = /^CHECK\s*\(([\s\S]*)\)\s*(NOT VALID)?$/i.exec(definition.trim());
  if (!body?.[1] || body[2]) return undefined;
  const raw = tokenize(body[1]);
  if (!raw) return undefined;
  const tokens = inLists(raw);
  if (!tokens) return undefined;
  const out: string[] = [];
  const kinds: Array<'col' | 'num' | 'str' | 'op' | 'other'> = [];
  const columnOf = (t: Token | undefined): string | undefined =>
    t?.kind === 'ident' ? (t.text === 'VALUE' && valueColumn !== undefined ? valueColumn : t.text) : undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind === 'cast') {
      // A cast keeps the meaning only around a literal of its own kind, or a column already of that kind.
      const before = tokens[i - 1];
      const inner = before?.kind === 'paren' && before.text === ')' && tokens[i - 3]?.text === '(' ? tokens[i - 2] : before;
      const column = columnOf(inner);
      const castKind = familyOfCast(t.text);
      if (castKind === undefined) return undefined;
      if (inner?.kind === 'number' && castKind !== 'number') return undefined;
      if (inner?.kind === 'string') {
        if (castKind === 'number') {
          if (!/^-?\d+(\.\d+)?$/.test(inner.text)) return undefined;
          const at = out.length - (inner === before ? 1 : 2);
          out[at] = inner.text;
          kinds[at] = 'num';
        }
        continue;
      }
      if (inner?.kind === 'number') continue;
      if (column === undefined || types === undefined) return undefined;
      if (familyOfType(types.get(column)) !== castKind) return undefined;
      continue;
    }
    if (t.kind === 'ident') {
      const name = columnOf(t) ?? t.text;
      const upper = t.text.toUpperCase();
      if (!t.quoted && ['AND', 'OR', 'NOT', 'IS', 'NULL', 'TRUE', 'FALSE', 'IN'].includes(upper)) {
        out.push(upper);
        kinds.push(upper === 'IN' ? 'op' : 'other');
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
  // Ordering strings depends on the collation: keep only =, <> and IN next to a string.
  for (let i = 0; i < out.length; i++) {
    if (kinds[i] === 'op' && !['=', '<>', 'IN'].includes(out[i] as string) && (kinds[i - 1] === 'str' || kinds[i + 1] === 'str')) return undefined;
  }
  return out.join(' ').replace(/\( /g, '(').replace(/ \)/g, ')').replace(/ ,/g, ',');
}

/**
 * The elements of ARRAY[…]: each one literal, maybe in parentheses and casts (PostgreSQL prints
 * `('free'::character varying)::text`), each cast one that keeps the value; a string cast to a number must
 * be one. Returns the literals with commas between them, or undefined.
 */
function listItems(items: readonly Token[]): Token[] | undefined {
  const out: Token[] = [];
  let current: Token[] = [];
  const flush = (): boolean => {
    const parts = current.filter((t) => t.kind !== 'paren');
    current = [];
    const [literal, ...casts] = parts;
    if (!literal || (literal.kind !== 'string' && literal.kind !== 'number') || casts.some((c) => c.kind !== 'cast')) return false;
    const families = casts.map((c) => familyOfCast(c.text));
    if (families.includes(undefined)) return false;
    if (families.includes('number') && literal.kind === 'string') {
      if (!/^-?\d+(\.\d+)?$/.test(literal.text)) return false;
      out.push({ kind: 'number', text: literal.text });
    } else if (families.some((f) => f !== 'number') && literal.kind === 'number' && families.length > 0) {
      return false;
    } else {
      out.push(literal);
    }
    return true;
  };
  for (const t of items) {
    if (t.kind === 'comma') {
      if (!flush()) return undefined;
      out.push(t);
    } else {
      current.push(t);
    }
  }
  return flush() ? out : undefined;
}

type Family = 'number' | 'text' | 'boolean' | 'date';

function familyOfCast(cast: string): Family | undefined {
  const name = cast.replace(/\(.*$/, '').replace(/\[\]$/, '');
  if (/^(numeric|integer|bigint|smallint)$/.test(name)) return 'number';
  if (/^(text|character varying|character|bpchar)$/.test(name)) return 'text';
  if (name === 'boolean') return 'boolean';
  if (name === 'date') return 'date';
  // double precision and real compare in binary floating point, which a DECIMAL column does not.
  return undefined;
}

function familyOfType(pgType: string | undefined): Family | undefined {
  if (pgType === undefined) return undefined;
  if (['int2', 'int4', 'int8', 'numeric'].includes(pgType)) return 'number';
  if (['text', 'varchar', 'bpchar'].includes(pgType)) return 'text';
  if (pgType === 'bool') return 'boolean';
  if (pgType === 'date') return 'date';
  return undefined;
}

/**
 * `x = ANY (ARRAY[a, b])` (how PostgreSQL prints `x IN (a, b)`) becomes `x IN (a, b)`, and `x <> ALL (…)`
 * `x NOT IN (…)`; the casts of the elements and of the array stay for the cast check. Any other ANY, ALL or
 * ARRAY is refused (undefined).
 */
function inLists(tokens: readonly Token[]): Token[] | undefined {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind !== 'ident' || t.quoted || !['ANY', 'ALL', 'ARRAY'].includes(t.text.toUpperCase())) {
      out.push(t);
      continue;
    }
    const word = t.text.toUpperCase();
    const op = out[out.length - 1];
    if (word === 'ARRAY' || op?.kind !== 'op' || (word === 'ANY' ? op.text !== '=' : op.text !== '<>' && op.text !== '!=')) return undefined;
    // ANY ( [(] ARRAY [ items ] [) ::type[]] )
    let j = i + 1;
    const expect = (text: string): boolean => tokens[j]?.text === text && ++j > 0;
    if (!expect('(')) return undefined;
    const wrapped = expect('(');
    if (tokens[j]?.text.toUpperCase() !== 'ARRAY') return undefined;
    j++;
    if (!expect('[')) return undefined;
    const items: Token[] = [];
    while (j < tokens.length && tokens[j]?.text !== ']') items.push(tokens[j++] as Token);
    if (!expect(']')) return undefined;
    if (wrapped && !expect(')')) return undefined;
    const arrayCast = tokens[j]?.kind === 'cast' ? tokens[j++] : undefined;
    if (!expect(')')) return undefined;
    const literals = listItems(items);
    if (literals === undefined) return undefined;
    if (arrayCast !== undefined && familyOfCast(arrayCast.text) === undefined) return undefined;
    out.pop();
    if (word === 'ALL') out.push({ kind: 'ident', text: 'NOT', quoted: false });
    out.push({ kind: 'ident', text: 'IN', quoted: false }, { kind: 'paren', text: '(' }, ...literals, { kind: 'paren', text: ')' });
    i = j - 1;
  }
  return out;
}

type Token =
  | { kind: 'ident'; text: string; quoted: boolean }
  | { kind: 'number' | 'string' | 'op' | 'paren' | 'cast' | 'comma'; text: string };

const CASTABLE = /^(numeric|integer|bigint|smallint|text|character varying|double precision|real|boolean|date|timestamp without time zone|character|bpchar)(\(\d+(,\d+)?\))?(\[\])?$/;

function tokenize(s: string): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const rest = s.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^\s+/.exec(rest))) { i += m[0].length; continue; }
    if ((m = /^::((?:[a-z]+(?: [a-z]+)*)(?:\(\d+(?:,\d+)?\))?(?:\[\])?)/.exec(rest))) {
      if (!CASTABLE.test(m[1] ?? '')) return undefined;
      tokens.push({ kind: 'cast', text: m[1] ?? '' });
    } else if ((m = /^'((?:[^']|'')*)'/.exec(rest))) {
      tokens.push({ kind: 'string', text: (m[1] ?? '').replace(/''/g, "'") });
    } else if ((m = /^"((?:[^"]|"")+)"/.exec(rest))) {
      tokens.push({ kind: 'ident', text: (m[1] ?? '').replace(/""/g, '"'), quoted: true });
    } else if ((m = /^-?\d+(\.\d+)?(e[-+]?\d+)?/i.exec(rest))) {
      tokens.push({ kind: 'number', text: m[0] });
    } else if ((m = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(rest))) {
      const word = m[0].toUpperCase();
      if (s[i + m[0].length] === '(' && word !== 'ANY' && word !== 'ALL') return undefined; // a function call
      tokens.push({ kind: 'ident', text: m[0], quoted: false });
    } else if ((m = /^(<=|>=|<>|!=|=|<|>)/.exec(rest))) {
      tokens.push({ kind: 'op', text: m[0] });
    } else if ((m = /^[()[\]]/.exec(rest))) {
      tokens.push({ kind: 'paren', text: m[0] });
    } else if ((m = /^,/.exec(rest))) {
      tokens.push({ kind: 'comma', text: ',' });
    } else {
      return undefined;
    }
    i += m[0].length;
  }
  return tokens;
}

/** Each column's PostgreSQL base type name, which decides whether a cast of it keeps the meaning. */
export function columnTypes(t: { readonly columns: ReadonlyArray<{ readonly name: string; readonly type: ColumnType }> }): Map<string, string> {
  return new Map(t.columns.map((c) => [c.name, typeName(c.type)]));
}
