/** Options that take lists accept both repetition and commas: --tables a,b --tables c. */
export function list(values: readonly (string | number)[] | undefined): string[] {
  return (values ?? []).flatMap((v) => String(v).split(',')).map((s) => s.trim()).filter((s) => s.length > 0);
}
