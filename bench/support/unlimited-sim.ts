/**
 * The simulator for the connector benchmark, in its own process: still markets, seeded books, a
 * funded demo account, and rate limits counted but not enforced (a benchmark sends more orders in
 * ten seconds than Binance's ORDERS limit allows; both contenders are measured the same way).
 * Prints one line of JSON (URLs, demo key and secret) once listening; exits on SIGTERM.
 */
import { startSimulator } from '../../src/simulator/index.js';

const sim = await startSimulator({ activity: false, limits: { enforce: false } });
process.stdout.write(`${JSON.stringify({ restUrl: sim.restUrl, wsUrl: sim.wsUrl, wsApiUrl: sim.wsApiUrl, apiKey: sim.demo?.apiKey, apiSecret: sim.demo?.apiSecret })}\n`);
process.once('SIGTERM', () => {
  void sim.close().then(() => process.exit(0));
});
