import { createHash } from 'node:crypto';

/** A manifest's JSON with its checksum recomputed, as pgmy writes it (for tests that edit a manifest on purpose). */
export function sealed(m: object): string {
  const { checksum: _old, ...rest } = m as { checksum?: string };
  return JSON.stringify({ ...rest, checksum: createHash('sha256').update(JSON.stringify(rest)).digest('hex') });
}
