import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { bundleChild } from '../../support/child-bundle.js';

let bundled: Promise<string> | undefined;

/** The CLI (src/cli/main.ts) bundled once per test file, so every child starts with plain node. */
export function cliBundle(): Promise<string> {
  bundled ??= bundleChild(new URL('../../../src/cli/main.ts', import.meta.url));
  return bundled;
}

export interface CliProcess {
  readonly child: ChildProcess;
  readonly lines: string[];
  stderr(): string;
  /** Resolves with the `nth` (default first) stdout line, already printed or to come, matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number, nth?: number): Promise<string>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The environment of a child: no Binance keys unless a test gives them, quiet logs. */
function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env, VENUEKIT_LOG_LEVEL: 'error' };
  delete out.BINANCE_API_KEY;
  delete out.BINANCE_API_SECRET;
  delete out.VITEST;
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

export async function startCli(args: readonly string[], options: { env?: Record<string, string | undefined>; cwd?: string } = {}): Promise<CliProcess> {
  const bundle = await cliBundle();
  const child = spawn(process.execPath, [bundle, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv(options.env ?? {}), ...(options.cwd && { cwd: options.cwd }) });
  const lines: string[] = [];
  let stderr = '';
  const waiters: { pattern: RegExp; left: number; resolve: (line: string) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const w of [...waiters]) {
      if (w.pattern.test(line) && --w.left === 0) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    waitForLine(pattern, timeoutMs = 20_000, nth = 1) {
      const seen = lines.filter((l) => pattern.test(l));
      if (seen.length >= nth) return Promise.resolve(seen[nth - 1]!);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line ${nth} matching ${pattern} within ${timeoutMs} ms; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`)), timeoutMs);
        waiters.push({ pattern, left: nth - seen.length, resolve: (line) => (clearTimeout(timer), resolve(line)) });
        void exited.then(() => setTimeout(() => reject(new Error(`exited before line ${nth} matching ${pattern}; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`)), 50));
      });
    },
  };
}

/** Runs a command to its end. */
export async function runCli(args: readonly string[], options: { env?: Record<string, string | undefined>; cwd?: string } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = await startCli(args, options);
  const { code } = await p.exited;
  // readline may still hold the last line for a tick after exit
  await new Promise((r) => setImmediate(r));
  return { code, stdout: p.lines.join('\n'), stderr: p.stderr() };
}

export interface SimChild {
  readonly process: CliProcess;
  readonly restUrl: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  stop(): Promise<void>;
}

/** `venuekit sim --json --port 0` in its own process. */
export async function startSimChild(args: readonly string[] = []): Promise<SimChild> {
  const p = await startCli(['sim', '--json', '--port', '0', ...args]);
  const ready = JSON.parse(await p.waitForLine(/^\{/)) as { restUrl: string; apiKey: string; apiSecret: string };
  return {
    process: p,
    ...ready,
    async stop() {
      if (p.child.exitCode === null && p.child.signalCode === null) {
        p.child.kill('SIGCONT');
        p.child.kill('SIGTERM');
        await p.exited;
      }
    },
  };
}

/** The summary's JSON line (--json-summary prints it last). */
export function jsonSummary(stdout: string): Record<string, unknown> {
  const line = stdout.trim().split('\n').at(-1)!;
  return JSON.parse(line) as Record<string, unknown>;
}
