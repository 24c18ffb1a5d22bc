/**
 * The chaos soak: `npm run soak:chaos -- --orders N --kills K --seed S [--faults FILE]`.
 * A simulator in its own process with every fault kind on (soak/chaos-faults.yaml), a trader
 * process (soak/trader.ts) SIGKILLed K times at moments drawn from the seed (before ready, while it
 * reconciles what it restored, in the middle of a burst) and restarted on the same SQLite file, a
 * last trader with the faults off that reconciles until quiet, then venuekit's history and
 * balances compared with the simulator's truth. Exits 1 on any discrepancy.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { SeededRandom } from '../src/simulator/random.js';
import { compare, type Snapshot, type Truth } from './compare.js';

const { values } = parseArgs({
  options: { orders: { type: 'string', default: '300' }, kills: { type: 'string', default: '5' }, seed: { type: 'string', default: '1' }, faults: { type: 'string' }, keep: { type: 'boolean', default: false } },
});
const orders = Number(values.orders);
const kills = Number(values.kills);
const seed = Number(values.seed);
const faultFile = values.faults ?? new URL('./chaos-faults.yaml', import.meta.url).pathname;
for (const [name, n] of [['--orders', orders], ['--kills', kills], ['--seed', seed]] as const) {
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got ${String(n)}`);
}

const here = new URL('.', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'venuekit-soak-'));
const db = join(dir, 'venuekit.sqlite');
const startedAt = Date.now();
const log = (line: string) => process.stdout.write(`[${((Date.now() - startedAt) / 1000).toFixed(1)}s] ${line}\n`);

// ---- the exchange ----
const sim = fork(join(here, 'sim-process.ts'), [faultFile, String(seed)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
let nextId = 1;
const pending = new Map<number, (body: unknown) => void>();
const venue = await new Promise<Record<string, string>>((resolve, reject) => {
  sim.on('message', (m: { ready?: Record<string, string>; id?: number; body?: unknown }) => {
    if (m.ready) resolve(m.ready);
    else if (m.id !== undefined) pending.get(m.id)?.(m.body);
  });
  sim.once('exit', (code) => reject(new Error(`the simulator exited with ${code}`)));
});
const ask = <T>(type: 'freeze' | 'truth' | 'hits') =>
  new Promise<T>((resolve) => {
    const id = nextId++;
    pending.set(id, (body) => resolve(body as T));
    sim.send({ id, type });
  });
log(`simulator up at ${venue.restUrl} with ${faultFile}`);

// ---- the kill plan, all drawn from the seed ----
type Kill = { when: 'before-ready' | 'reconciling' | 'mid-burst'; atOrder: number; delayMs: number };
const plan = new SeededRandom(seed ^ 0x5eed);
const kinds: Kill['when'][] = ['before-ready', 'reconciling', 'mid-burst', 'mid-burst'];
const killPlan: Kill[] = Array.from({ length: kills }, (_, k) => ({
  when: kinds[plan.int(0, kinds.length - 1)]!,
  atOrder: Math.max(1, Math.floor((orders * (k + 1)) / (kills + 1)) + plan.int(-3, 3)),
  delayMs: plan.int(0, 400),
}));

function trader(mode: 'chaos' | 'reconcile', out?: string): { child: ChildProcess; lines: AsyncIterable<string>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'trader.ts'), JSON.stringify({ mode, db, seed, orders, out, venue })], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal === null ? code : -1)));
  return { child, lines: createInterface({ input: child.stdout! }), exited };
}

const stats = { kills: { 'before-ready': 0, reconciling: 0, 'mid-burst': 0 } as Record<Kill['when'], number>, lives: 0, placedAtKill: [] as number[] };
let placed = 0;
for (let k = 0; k <= kills; k++) {
  const kill = killPlan[k];
  const life = trader('chaos');
  stats.lives++;
  let done = false;
  const killNow = () => {
    if (life.child.exitCode === null && !life.child.killed) life.child.kill('SIGKILL');
  };
  if (kill?.when === 'before-ready') setTimeout(killNow, kill.delayMs);
  for await (const line of life.lines) {
    if (line.startsWith('placed ')) placed = Number(line.slice(7));
    if (line === 'done') done = true;
    if (kill === undefined) continue;
    if (kill.when === 'reconciling' && line === 'ready') setTimeout(killNow, Math.min(kill.delayMs, 150));
    // A mid-burst kill lands after the burst was fired and before its answers are in.
    if (kill.when === 'mid-burst' && placed >= kill.atOrder) killNow();
  }
  const code = await life.exited;
  if (kill !== undefined && code === -1) {
    stats.kills[kill.when]++;
    stats.placedAtKill.push(placed);
    log(`life ${k + 1}: SIGKILL ${kill.when} (orders placed so far: ${placed})`);
  } else if (kill !== undefined) {
    log(`life ${k + 1}: ended by itself (code ${String(code)}) before its ${kill.when} kill; orders placed: ${placed}`);
  }
  if (done && kill === undefined) break;
  if (kill === undefined && code !== 0) throw new Error(`the last chaos life exited with ${String(code)}`);
  // After all kills the next life runs until every order is placed.
}
// A life killed at its end may leave orders unplaced: one more life finishes them.
while (placed < orders) {
  const life = trader('chaos');
  stats.lives++;
  for await (const line of life.lines) if (line.startsWith('placed ')) placed = Number(line.slice(7));
  if ((await life.exited) !== 0) throw new Error('a finishing life failed');
}

const { hits } = await ask<{ hits: { kind: string; hits: number }[] }>('freeze');
log(`all ${orders} orders placed; faults off (${hits.map((h) => `${h.kind} ${h.hits}`).join(', ')}); reconciling`);
const out = join(dir, 'snapshot.json');
const last = trader('reconcile', out);
for await (const line of last.lines) void line;
if ((await last.exited) !== 0) throw new Error('the reconciling life failed');
const snapshot = JSON.parse(readFileSync(out, 'utf8')) as Snapshot;
const truth = await ask<Truth>('truth');
const report = compare(snapshot, truth);

const minutes = ((Date.now() - startedAt) / 60_000).toFixed(1);
const print = (line: string) => process.stdout.write(`${line}\n`);
print('');
print(`chaos soak: --orders ${orders} --kills ${kills} --seed ${seed} (${minutes} min, ${stats.lives} trader lives)`);
print(`  kills: ${kills - Object.values(stats.kills).reduce((a, b) => a + b, 0)} missed, before ready ${stats.kills['before-ready']}, reconciling ${stats.kills.reconciling}, mid-burst ${stats.kills['mid-burst']}`);
print(`  faults struck: ${hits.map((h) => `${h.kind} ${h.hits}`).join(', ')}`);
for (const line of report.lines) print(`  ${line}`);
print(report.discrepancies === 0 ? 'PASS: 0 discrepancies' : `FAIL: ${report.discrepancies} discrepancies`);
for (const example of report.examples.slice(0, 20)) print(`    ${example}`);

sim.disconnect();
if (values.keep) print(`store kept in ${db}`);
else rmSync(dir, { recursive: true, force: true });
process.exitCode = report.discrepancies === 0 ? 0 : 1;
