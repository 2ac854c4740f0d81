import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { cli } from '../helpers/servers.js';

describe('the details people notice (issue 17)', () => {
  it('a mistyped command gets a "did you mean", exit 2', async () => {
    const r = await cli('dumpp', '--source', 'postgres://x/y', '--out', '/tmp/x');
    assert.equal(r.code, 2);
    assert.match(r.err, /Did you mean dump\?/);
  });

  it('migrate --help shows migrate\'s examples, not dump\'s', async () => {
    const r = await cli('migrate', '--help');
    assert.equal(r.code, 0);
    assert.match(r.out, /pgmy migrate --source/);
    assert.doesNotMatch(r.out, /Dump the public schema of shop/);
  });

  it('help on an 80-column terminal wraps between words: no option text or example URL is cut inside a word', async () => {
    const bin = resolve(import.meta.dirname, '../../../bin/pgmy.js');
    for (const command of ['migrate', 'dump', 'load', 'plan']) {
      const screen = await new Promise<string>((done, fail) => execFile('script', ['-qec', `stty cols 80; node ${bin} ${command} --help`, '/dev/null'],
        (err, stdout) => (err ? fail(new Error(`${command} --help on a pty failed`, { cause: err })) : done(stdout.replace(/\r/g, '')))));
      const lines = screen.split('\n');
      for (const l of lines) assert.ok(l.length <= 80, `${command}: ${l.length} columns: ${l}`);
      // (cliui may set the type column right against the text: "errors[boolean]" is two whole words.)
      const words = new Set(screen.split(/\s+|(?=\[)/));
      if (command === 'migrate') {
        for (const token of ['postgres://app@db/shop', 'mysql://root@localhost/shop', 'converted']) assert.ok(words.has(token), `"${token}" whole in:\n${screen}`);
      }
      // Every word of every option's description is whole: compare with the unwrapped help (120 columns, not a terminal).
      const wide = await cli(command, '--help');
      const wideWords = new Set(wide.out.split(/\s+|(?=\[)/));
      for (const w of words) if (w.length > 2 && !/^[[\]"(),]/.test(w)) assert.ok(wideWords.has(w), `${command}: "${w}" is a piece of a word`);
    }
  });
});
