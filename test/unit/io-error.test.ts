import assert from 'node:assert/strict';
import { it } from 'node:test';
import { writeError } from '../../src/files/io-error.js';

const errno = (code: string, syscall?: string) => Object.assign(new Error(`${code} happened`), { code, ...(syscall ? { syscall } : {}) });

it('a full disk, or another file-system error, is a clear io error naming the folder and table', () => {
  const full = writeError(errno('ENOSPC', 'write'), '/out', 'public.t');
  assert.equal(full?.code, 'io');
  assert.equal(full?.message, 'The disk holding /out is full while writing public.t.');
  assert.match(full?.hint ?? '', /Free some space/);
  assert.equal(writeError(errno('EACCES', 'open'), '/out')?.message, 'Cannot write in /out: EACCES happened');
});

it('a reset or broken connection to the source is not mistaken for a write error', () => {
  assert.equal(writeError(errno('ECONNRESET', 'read'), '/out', 'public.t'), undefined);
  assert.equal(writeError(errno('EPIPE', 'write'), '/out', 'public.t'), undefined);
  assert.equal(writeError(new Error('terminating connection'), '/out'), undefined);
});
