/**
 * Runs the loopback test exchange in its own process (for the network benchmark): prints one JSON
 * line `{ url, apiKey, secret }` on stdout, then serves until stdin closes or it is signalled.
 */
import { HttpExchange } from './http-exchange.js';

const exchange = await HttpExchange.start();
process.stdout.write(`${JSON.stringify({ url: exchange.url, apiKey: exchange.apiKey, secret: exchange.secret })}\n`);
const stop = (): void => {
  void exchange.close().then(() => process.exit(0));
};
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
