import type { ColumnRule } from '../target.js';

/**
 * Reads a version 1 manifest as version 2. Version 1 wrote a column's rule as text: `kind`, then `+text`,
 * `+null`, `+row-size` as they were applied, a user's cast as `cast (pgmy: TYPE by RULE)`. This is the only
 * place that text is parsed; everything else reads the structure.
 */
export function upgradeFromV1(json: unknown): unknown {
  const m = json as { formatVersion: number; target?: { tables?: Array<{ columns?: Array<{ rule?: unknown }> }> } };
  for (const t of m.target?.tables ?? []) {
    for (const c of t.columns ?? []) if (typeof c.rule === 'string') c.rule = ruleFromV1(c.rule);
  }
  return { ...m, formatVersion: 2 };
}

export function ruleFromV1(text: string): ColumnRule {
  let rest = text;
  const flags: Array<'null' | 'row-size'> = [];
  if (rest.endsWith('+row-size')) {
    flags.push('row-size');
    rest = rest.slice(0, -'+row-size'.length);
  }
  const cast = /^cast \(pgmy: (.*) by (.*)\)$/.exec(rest);
  const inner = cast?.[2] ?? rest;
  const [kind = inner, ...suffixes] = inner.split('+');
  if (suffixes.includes('null')) flags.unshift('null');
  if (suffixes.includes('row-size') && !flags.includes('row-size')) flags.push('row-size');
  return {
    kind, transform: suffixes.includes('text') ? 'text' : 'native', flags,
    ...(cast?.[1] !== undefined ? { castFrom: cast[1] } : {}),
  };
}
