// Runs the vitest suite beside a CPU hog, so a verdict that depends on machine speed fails here
// rather than on a user's busy machine or a shared CI runner. Extra arguments go to vitest.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { setTimeout } from 'node:timers';

const hogCount = 2 * availableParallelism();
const hogs = [];
for (let i = 0; i < hogCount; i += 1) {
  // A tight loop with no I/O: it competes for every core the tests run on.
  hogs.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
}

let hogsKilled = false;
function killHogs() {
  if (hogsKilled) return;
  hogsKilled = true;
  for (const hog of hogs) {
    if (hog.exitCode === null && hog.signalCode === null) hog.kill('SIGKILL');
  }
}
// Whatever ends this process, no hog outlives it to load the machine for everyone else.
process.on('exit', killHogs);

console.log(`test:loaded: ${hogCount} busy processes beside vitest`);
const vitest = spawn('npx', ['vitest', 'run', ...process.argv.slice(2)], { stdio: 'inherit' });

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    killHogs();
    if (vitest.exitCode === null) vitest.kill(signal);
    // Exit even if vitest ignores the signal: 128 + signal number, as a shell would report it.
    setTimeout(() => process.exit(signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 129), 5000).unref();
  });
}

vitest.on('error', (err) => {
  console.error(`test:loaded: could not start vitest: ${err.message}`);
  killHogs();
  process.exit(1);
});
vitest.on('exit', (code, signal) => {
  killHogs();
  process.exit(code ?? (signal === 'SIGINT' ? 130 : 1));
});
