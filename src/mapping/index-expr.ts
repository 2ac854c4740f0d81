/**
 * Index keys on an expression that MySQL can compute the same way in a generated column: `lower(col)` and
 * `upper(col)` of a text column (Rails' and Django's case-insensitive unique emails), with the no-op casts
 * PostgreSQL prints (`lower((email)::text)`, `lower(email::text)`). Anything else is not carried.
 */
export interface KeyExpression {
  readonly fn: 'LOWER' | 'UPPER';
  readonly column: string;
}

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)`;
const CAST = String.raw`::(?:text|character varying|varchar)`;
const SHAPE = new RegExp(String.raw`^(lower|upper)\((?:\((${IDENT})\)|(${IDENT}))(?:${CAST})?\)$`);

export function parseKeyExpression(expression: string): KeyExpression | undefined {
  const m = SHAPE.exec(expression.trim());
  const ident = m?.[2] ?? m?.[3];
  if (!m?.[1] || ident === undefined) return undefined;
  const column = ident.startsWith('"') ? ident.slice(1, -1).replace(/""/g, '"') : ident;
  return { fn: m[1] === 'lower' ? 'LOWER' : 'UPPER', column };
}
