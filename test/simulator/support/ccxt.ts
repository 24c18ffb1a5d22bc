import type { Simulator } from '../../../src/simulator/index.js';

/** ccxt's binance options that keep it on spot and off /sapi and the futures hosts (the README recipe). */
export const CCXT_OPTIONS = { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false };

/** The REST URL groups ccxt's binance client needs pointed at the simulator. */
export function restUrls(sim: Simulator): Record<string, string> {
  return { public: `${sim.restUrl}/api/v3`, private: `${sim.restUrl}/api/v3`, v1: `${sim.restUrl}/api/v1`, sapi: `${sim.restUrl}/sapi/v1` };
}
