import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoalescingWriter, type WriterClock } from '../../src/dump/coalescing-writer.js';

/** Lets every promise callback queued so far run. */
const settle = () => new Promise<void>((r) => setImmediate(r));

/** A write whose end the test decides. */
function controlledWrites(onStart: () => void): { write: () => Promise<void>; finish: () => void; started: () => number } {
  const ends: Array<() => void> = [];
  return {
    write: () => { onStart(); return new Promise<void>((r) => ends.push(r)); },
    finish: () => ends.shift()?.(),
    started: () => ends.length,
  };
}

/** A clock that moves only when told; sleeps end when it passes their time. */
function manualClock(): WriterClock & { advance(ms: number): void; sleeps: number[] } {
  let t = 1000;
  const waiting: Array<{ until: number; wake: () => void }> = [];
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: (ms, early) => new Promise<void>((wake) => { sleeps.push(ms); waiting.push({ until: t + ms, wake }); void early?.then(wake); }),
    advance(ms) {
      t += ms;
      for (const w of waiting.splice(0)) if (w.until <= t) w.wake(); else waiting.push(w);
    },
  };
}

test('requests made while a write is under way are carried by one later write of the latest state', async () => {
  let state = 0;
  const seen: number[] = [];
  const w = controlledWrites(() => seen.push(state));
  const writer = new CoalescingWriter(w.write, 0);
  state = 1;
  const first = writer.request();
  await settle();
  assert.deepEqual(seen, [1], 'the first write is under way');
  const later = [2, 3, 4].map((n) => { state = n; return writer.request(); });
  w.finish();
  await first;
  await settle();
  assert.deepEqual(seen, [1, 4], 'one write for the three requests made during the first, with the latest state');
  w.finish();
  await Promise.all(later);
  await writer.idle();
  assert.equal(seen.length, 2);
});

test('writes are spaced: a request soon after a write waits for the spacing, then writes once', async () => {
  const clock = manualClock();
  let writes = 0;
  const writer = new CoalescingWriter(() => { writes++; return Promise.resolve(); }, 60, clock);
  await writer.request();
  assert.equal(writes, 1, 'the first write does not wait');
  clock.advance(10);
  const both = Promise.all([writer.request(), writer.request()]);
  await settle();
  assert.deepEqual(clock.sleeps, [50], 'waits out the rest of the 60 ms since the last write began');
  assert.equal(writes, 1);
  clock.advance(49);
  await settle();
  assert.equal(writes, 1, 'not before the spacing is over');
  clock.advance(1);
  await both;
  assert.equal(writes, 2, 'two requests, one write');
});

test('a failed write fails the requests it carries', async () => {
  const w = new CoalescingWriter(() => Promise.reject(new Error('disk full')), 0);
  await assert.rejects(w.request(), /disk full/);
});

test('hurry: a request waiting out the spacing is written at once, and later ones do not wait', async () => {
  const clock = manualClock();
  let writes = 0;
  const writer = new CoalescingWriter(() => { writes++; return Promise.resolve(); }, 60, clock);
  await writer.request();
  const waiting = writer.request();
  await settle();
  assert.equal(writes, 1, 'the second request waits for the spacing');
  writer.hurry();
  await waiting;
  assert.equal(writes, 2, 'written without the clock moving');
  await writer.request();
  assert.equal(writes, 3);
  assert.deepEqual(clock.sleeps, [60], 'no spacing after hurry');
});

test('with a took factor, writes are spaced by that many times what the last one took, when that is longer', async () => {
  const clock = manualClock();
  let writes = 0;
  let took = 0;
  const writer = new CoalescingWriter(() => { writes++; clock.advance(took); return Promise.resolve(); }, 60, clock, 10);
  took = 2;
  await writer.request();
  const short = writer.request();
  await settle();
  assert.deepEqual(clock.sleeps, [58], 'a 2 ms write: the 60 ms spacing, counted from its start, is the longer');
  clock.advance(58);
  await short;
  assert.equal(writes, 2);
  took = 30;
  clock.advance(60);
  await writer.request();
  assert.equal(writes, 3);
  const long = writer.request();
  await settle();
  assert.deepEqual(clock.sleeps.slice(1), [270], 'a 30 ms write: 300 ms from its start, not 60');
  clock.advance(269);
  await settle();
  assert.equal(writes, 3, 'not before ten times the last write');
  clock.advance(1);
  await long;
  assert.equal(writes, 4);
});
