/**
 * The peer for the REST benchmark: a bare node:http server on loopback that reads each request's
 * body and answers POST /api/v3/order with a fixed FULL order response of the simulator's size.
 * No routing, parsing, signature or engine: the ceiling of an HTTP/1.1 keep-alive round trip.
 * Run as a child process; prints its URL as one line of JSON.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const RESPONSE = JSON.stringify({
  symbol: 'BTCUSDT', orderId: 1, orderListId: -1, clientOrderId: 'aaaaaaaaaaaaaaaaaaaaaa', transactTime: 1, price: '65000.00000000',
  origQty: '0.00100000', executedQty: '0.00100000', origQuoteOrderQty: '0.00000000', cummulativeQuoteQty: '65.00000000', status: 'FILLED',
  timeInForce: 'GTC', type: 'LIMIT', side: 'BUY', workingTime: 1,
  fills: [{ price: '65000.00000000', qty: '0.00100000', commission: '0.00000100', commissionAsset: 'BTC', tradeId: 1 }],
  selfTradePreventionMode: 'NONE',
});

const server = createServer({ keepAlive: true }, (req, res) => {
  req.on('data', () => undefined);
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8', 'content-length': String(Buffer.byteLength(RESPONSE)) });
    res.end(RESPONSE);
  });
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ restUrl: `http://127.0.0.1:${port}` })}\n`);
});
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
