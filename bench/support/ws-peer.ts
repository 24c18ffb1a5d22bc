/**
 * The peer for the streaming benchmarks: a bare `ws` server sending ready-made messages of a given
 * size, with no engine, no diff building and no JSON encoding — the ceiling of the WebSocket
 * transport for the same traffic. Run as a child process; prints its URL as one line of JSON.
 *
 *   depth <bytes> <streams>  combined `{stream,data}` diffs, one per stream in turn, chaining U/u
 *   user <bytes>             user data events
 *
 * Each connection gets messages as fast as it takes them: the peer holds back only while a client
 * has more than a few MB waiting, as the simulator's load driver does.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

const [mode = 'depth', bytesArg = '200', streamsArg = '100'] = process.argv.slice(2);
const BACKLOG_BYTES = 4 * 1024 * 1024;
const bytes = Number(bytesArg);

function message(stream: string, seq: number): string {
  const head = `{"stream":"${stream}","data":{"e":"depthUpdate","E":${Date.now()},"s":"X","U":${seq},"u":${seq},"b":[["`;
  const tail = '","1.000"]],"a":[]}}';
  return head + '1'.repeat(Math.max(1, bytes - head.length - tail.length)) + tail;
}

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
const clients = new Set<WebSocket>();
server.on('connection', (ws) => {
  clients.add(ws);
  ws.on('close', () => clients.delete(ws));
});

let seq = 0;
const streams = Array.from({ length: Number(streamsArg) }, (_, i) => `m${String(i).padStart(3, '0')}usdt@depth@100ms`);
const userEvent = JSON.stringify({ subscriptionId: 0, event: { e: 'executionReport', pad: '1'.repeat(Math.max(1, bytes - 60)) } });
const pump = (): void => {
  seq++;
  for (const ws of clients) {
    if (ws.bufferedAmount > BACKLOG_BYTES) continue;
    if (mode === 'depth') for (const s of streams) ws.send(message(s, seq));
    else for (let i = 0; i < 300; i++) ws.send(userEvent);
  }
  setImmediate(pump);
};
pump();

server.on('listening', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `ws://127.0.0.1:${port}` })}\n`);
});
process.once('SIGTERM', () => {
  for (const ws of clients) ws.terminate();
  server.close(() => process.exit(0));
});
