import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoalescingWriter } from '../../src/dump/coalescing-writer.js';

test('requests made while a write is under way are carried by one later write of the latest state', async () => {
  let state = 0;
  const seen: number[] = [];
  const w = new CoalescingWriter(async () => {
    seen.push(state);
    await new Promise((r) => setTimeout(r, 20));
  }, 0);
  state = 1;
  const first = w.request();
  await new Promise((r) => setTimeout(r, 5)); // the first write is under way
  const later = [2, 3, 4].map((n) => { state = n; return w.request(); });
  await Promise.all([first, ...later]);
  assert.deepEqual(seen, [1, 4], 'one write for the first request, one for the three made during it');
  await w.idle();
  assert.equal(seen.length, 2);
});

test('writes are spaced: a request soon after a write waits for the spacing, then writes once', async () => {
  const starts: number[] = [];
  const w = new CoalescingWriter(async () => { starts.push(performance.now()); }, 60);
  await w.request();
  await Promise.all([w.request(), w.request()]);
  assert.equal(starts.length, 2);
  assert.ok((starts[1] as number) - (starts[0] as number) >= 55, `spaced by ${(starts[1] as number) - (starts[0] as number)} ms`);
});

test('a failed write fails the requests it carries', async () => {
  const w = new CoalescingWriter(async () => { throw new Error('disk full'); }, 0);
  await assert.rejects(w.request(), /disk full/);
});
