/**
 * File-system-safe, case-safe names for a table's chunk folder: letters other than a-z, digits, `_` and `-`
 * are percent-encoded (upper case too, so that `Users` and `users` stay apart on case-insensitive disks).
 */
export function tableDirName(schema: string, table: string): string {
  return `${encodePart(schema)}.${encodePart(table)}`;
}

function encodePart(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[a-z0-9_-]/.test(ch) ? ch : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

export function chunkFileName(index: number, prefix = ''): string {
  return `${prefix}${String(index).padStart(6, '0')}.tsv`;
}
