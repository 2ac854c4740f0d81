import { createGunzip, createGzip } from 'node:zlib';
import type { Duplex } from 'node:stream';
import { PgmyError } from '../errors.js';
import { zstdProcess } from './zstd-process.js';

/** How chunk files are stored: as TSV, or compressed with gzip (zlib, built in) or zstd (the zstd program). */
export type CodecName = 'none' | 'gzip' | 'zstd';

export interface Codec {
  readonly name: CodecName;
  /** gzip 1–9 (default 6, as gzip and pg_dump), zstd 1–19 (default 3, as zstd). */
  readonly level: number;
}

const LEVELS: Record<CodecName, { readonly min: number; readonly max: number; readonly dflt: number }> = {
  none: { min: 0, max: 0, dflt: 0 },
  gzip: { min: 1, max: 9, dflt: 6 },
  zstd: { min: 1, max: 19, dflt: 3 },
};

export const NO_COMPRESSION: Codec = { name: 'none', level: 0 };

/** Parses `none`, `gzip`, `gzip:N`, `zstd` or `zstd:N` (pg_dump's --compress spelling). */
export function parseCodec(text: string): Codec {
  const m = /^(none|gzip|zstd)(?::(\d+))?$/.exec(text.trim().toLowerCase());
  const name = m?.[1] as CodecName | undefined;
  const range = name ? LEVELS[name] : undefined;
  const level = m?.[2] === undefined ? range?.dflt : Number(m[2]);
  if (!name || !range || level === undefined || (name === 'none' && m?.[2] !== undefined) || level < range.min || level > range.max) {
    throw new PgmyError('usage', `--compress ${text} is not understood.`, {
      hint: 'Use none, gzip (or gzip:1 to gzip:9) or zstd (or zstd:1 to zstd:19).',
    });
  }
  return { name, level };
}

/** What a chunk file's name ends with after `.tsv`. */
export function codecExtension(name: CodecName): string {
  return name === 'gzip' ? '.gz' : name === 'zstd' ? '.zst' : '';
}

/** The codec a chunk file was written with, from its name: a dump may mix them after a resume. */
export function codecOfFile(file: string): CodecName {
  return file.endsWith('.gz') ? 'gzip' : file.endsWith('.zst') ? 'zstd' : 'none';
}

/** A stream that compresses what is written to it; undefined for none. */
export function compressor(c: Codec): Duplex | undefined {
  if (c.name === 'gzip') return createGzip({ level: c.level, chunkSize: 1 << 16 });
  if (c.name === 'zstd') return zstdProcess(['-q', '-c', `-${c.level}`], 'compressing a chunk');
  return undefined;
}

/** A stream that gives back the TSV of a chunk file written with the codec; undefined for none. */
export function decompressor(name: CodecName): Duplex | undefined {
  if (name === 'gzip') return createGunzip({ chunkSize: 1 << 16 });
  if (name === 'zstd') return zstdProcess(['-q', '-d', '-c'], 'decompressing a chunk');
  return undefined;
}
