/** The one place identifiers and literals are quoted for MySQL and MariaDB. */

export function quoteMy(ident: string): string {
  return '`' + ident.replace(/`/g, '``') + '`';
}

/** A table in MySQL: qualified when it lives in a database other than the session's own. */
export function tableMy(t: { readonly database?: string | undefined; readonly name: string }): string {
  return t.database !== undefined ? `${quoteMy(t.database)}.${quoteMy(t.name)}` : quoteMy(t.name);
}

/**
 * A MySQL string literal. pgmy's sessions never set NO_BACKSLASH_ESCAPES, and the generated .sql files say
 * so in their header, so backslash escaping is the form both MySQL and MariaDB read the same way.
 */
export function literalMy(value: string): string {
  return "'" + value.replace(/\\/g, '\\\\').replace(/'/g, "''").replace(/\0/g, '\\0') + "'";
}
