import { createRequire } from 'node:module';
import type yargsEsm from 'yargs';
import type { Argv } from 'yargs';
import { readSecret } from './prompt.js';
import { logFileArg, withLogFile } from './log-file.js';
import type { Prompted } from './args.js';
import * as dumpCmd from './commands/dump.js';
import * as inspectCmd from './commands/inspect.js';
import * as loadCmd from './commands/load.js';
import * as migrateCmd from './commands/migrate.js';
import * as planCmd from './commands/plan.js';
import * as verifyCmd from './commands/verify.js';
import { errorEvent, EXIT, exitCodeFor, processIo, quietOnClosedPipe, renderError, type Io } from './output.js';
import { VERSION, redactUrl, PgmyError, useS3Settings } from '../index.js';

/**
 * yargs through its CommonJS build: the ESM build's cliui wraps help text a character at a time ("conve/rted",
 * "mysql://r/oot@"), the CommonJS one wraps at word boundaries (wrap-ansi).
 */
const yargs = createRequire(import.meta.url)('yargs') as typeof yargsEsm;

interface CommandModule {
  command: string;
  describe: string;
  builder: (y: Argv) => Argv<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- each command's own argv shape
  handler: (args: any, io: Io, quiet: boolean) => Promise<number>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const COMMANDS: CommandModule[] = [planCmd, dumpCmd, loadCmd, migrateCmd, verifyCmd, inspectCmd];

/**
 * Ctrl-C or SIGTERM while a command runs: the signal the library gets is aborted, so no new chunk or step
 * starts and the statements in flight are stopped on the servers (KILL QUERY, pg_cancel_backend); the run
 * then ends with exit 130 and says how to resume. The handlers are removed at the first signal, so a second
 * one ends the process the default way.
 */
async function whileInterruptible(io: Io, body: (signal: AbortSignal) => Promise<number>): Promise<number> {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    io.err(`\npgmy: ${name}: stopping, and stopping the statements it started on the servers…\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const code = await body(controller.signal);
    if (!controller.signal.aborted) return code;
  } catch (err) {
    if (!controller.signal.aborted) throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  io.err('pgmy: interrupted: run the same command again to resume.\n');
  return EXIT.interrupted;
}

/**
 * yargs renders the whole help text of a command just after starting its handler, to show it should the
 * handler fail: 10 ms of every command's start. It never shows it here (a handler's error is caught and
 * printed by pgmy; bad usage is found before the handler starts, and the help is rendered then as before).
 */
function skipHelpCache(parser: Argv): void {
  const internals = parser as unknown as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } };
  const usage = internals.getInternalMethods?.().getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined;
}

/** Runs the CLI and returns the exit code; the only caller that exits is bin/pgmy.js. */
export async function run(argv: readonly string[], given: Io = processIo): Promise<number> {
  const logPath = logFileArg(argv);
  const io = logPath ? withLogFile(given, logPath) : given;
  let code: number = EXIT.ok;
  let debug = argv.includes('--debug');
  let json = false;
  let usageError: string | undefined;
  let handlerError: { err: unknown } | undefined;
  const parser = yargs([...argv])
    .scriptName('pgmy')
    .version(VERSION)
    .strict()
    .recommendCommands()
    .demandCommand(1, 'Name a command: plan, dump, load, migrate, verify or inspect.')
    .option('quiet', { type: 'boolean', default: false, global: true, describe: 'Print only errors' })
    .option('log-file', { type: 'string', global: true, describe: 'Append every message, progress line, summary and error to this file, each line with its UTC time' })
    .option('debug', { type: 'boolean', default: false, global: true, describe: 'Show stack traces on errors' })
    .option('s3-endpoint', { type: 'string', global: true, describe: 'For an s3://bucket/prefix dump location: the URL of an S3-compatible server (MinIO, Ceph, s3rver…; path-style addressing); default AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, else AWS S3. Credentials and region as the AWS CLI reads them' })
    .option('password-prompt', { type: 'boolean', default: false, global: true, describe: 'Ask for the source and target passwords (not echoed) instead of reading them from the URL or PGPASSWORD / MYSQL_PWD' })
    .epilogue('Exit status: 0 success, 1 failure, 2 bad usage, 3 verify found differences, 4 blocked (something cannot be carried exactly), 130 interrupted.\nDocs: README.md')
    .wrap(Math.min(120, process.stdout.columns ?? 120))
    .exitProcess(false)
    .fail((msg, err) => {
      // yargs wraps what an option's coerce throws (and its own checks) as a YError: bad usage, with its words.
      if (err && err.name !== 'YError') throw err;
      msg ??= err?.message ?? 'bad arguments';
      // Throwing stops yargs here; returning would let it run the command despite the bad arguments.
      usageError = msg;
      throw new PgmyError('usage', msg);
    });
  skipHelpCache(parser);
  for (const c of COMMANDS) {
    // strict() on the top level does not reach a command's own options: each builder gets it too.
    parser.command(c.command, c.describe, (y) => c.builder(y).strict(), async (args) => {
      debug = Boolean(args.debug);
      json = Boolean(args.json);
      // Caught here: yargs would pass a handler's error to fail() without the error itself.
      try {
        if (typeof args['s3-endpoint'] === 'string') useS3Settings({ endpoint: args['s3-endpoint'] });
        const secrets = args['password-prompt'] ? await askPasswords(args as { source?: string; target?: string }, io) : {};
        // The config reader (and its schema library) is loaded only for --config.
        const config = typeof args.config === 'string' ? await import('./config.js') : undefined;
        const withConfig = config && typeof args.config === 'string' ? config.applyConfig(args, await config.readConfig(args.config)) : args;
        code = await whileInterruptible(io, (signal) => c.handler({ ...withConfig, prompted: { ...secrets, signal } }, io, Boolean(args.quiet)));
      } catch (err) {
        handlerError = { err };
      }
    });
  }
  try {
    let helpOrVersion = false;
    await parser.parseAsync([...argv], {}, (err, _parsed, output) => {
      if (output && !err) {
        io.out(output + '\n');
        helpOrVersion = true;
      }
      if (err && !usageError) usageError = err.message;
      if (usageError && output) io.err(output + '\n');
    });
    if (handlerError) {
      io.err(renderError(handlerError.err, debug));
      if (json) io.out(errorEvent(handlerError.err, argv[0] ?? '') + '\n');
      return exitCodeFor(handlerError.err);
    }
    if (usageError) {
      io.err(`pgmy: ${usageError}\n`);
      return EXIT.usage;
    }
    return helpOrVersion ? EXIT.ok : code;
  } catch (err) {
    if (usageError !== undefined) {
      const cmd = COMMANDS.some((c) => c.command.split(' ')[0] === argv[0]) ? `${argv[0]} ` : '';
      io.err(`pgmy: ${usageError}\n  (pgmy ${cmd}--help lists the options)\n`);
      return EXIT.usage;
    }
    io.err(renderError(err, debug));
    return exitCodeFor(err);
  }
}

/** --password-prompt: the answers are handed to the library as values, never onto a command line or into the environment. */
async function askPasswords(args: { source?: string; target?: string }, io: Io): Promise<Prompted> {
  const ask = async (url: string | undefined): Promise<string | undefined> => {
    if (!url) return undefined;
    const shown = redactUrl(url).replace(/\?.*$/, '');
    return readSecret(`Password for ${shown}: `, process.stdin, { write: (t: string) => { io.err(t); return true; } } as never)
      .catch((err: Error) => { throw new PgmyError('usage', `No password for ${shown}: ${err.message}.`); });
  };
  const sourcePassword = await ask(args.source);
  const targetPassword = await ask(args.target);
  return { ...(sourcePassword !== undefined ? { sourcePassword } : {}), ...(targetPassword !== undefined ? { targetPassword } : {}) };
}

/**
 * node-postgres asks, as it loads, whether it runs in a Cloudflare Worker: with no `navigator` global (Node 20;
 * Node 21 and later define one) it builds a fetch Response to find out, which loads all of Node's fetch
 * (undici), 15-20 ms of every command's start. The CLI's process says what Node 21 would.
 */
function declareRuntime(): void {
  const g = globalThis as { navigator?: unknown };
  g.navigator ??= { userAgent: `Node.js/${process.versions.node.split('.')[0] ?? ''}` };
}

export async function main(argv: readonly string[]): Promise<void> {
  declareRuntime();
  quietOnClosedPipe();
  process.exitCode = await run(argv);
}

