/** The one place identifiers and literals are quoted for PostgreSQL. */

export function quotePg(ident: string): string {
  return '"' + ident.replace(/"/g, '""') + '"';
}

export function quotePgQualified(schema: string, name: string): string {
  return quotePg(schema) + '.' + quotePg(name);
}

export function literalPg(value: string): string {
  return "'" + value.replace(/'/g, "''") + "'";
}
