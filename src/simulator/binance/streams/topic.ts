import type { SimSocket } from '../../ws/socket.js';
import { DepthWindow } from './depth-window.js';
import type { StreamName } from './names.js';
import type { Top } from './payloads.js';

/** One market-stream connection: its subscriptions and whether it gets the `{stream,data}` wrapper. */
export class StreamClient {
  readonly topics = new Set<Topic>();
  /** Incoming frames in the current one-second window (Binance closes connections above 5). */
  framesInWindow = 0;
  frameWindow = 0;

  constructor(
    readonly socket: SimSocket,
    public combined: boolean,
  ) {}
}

/** One stream name with its subscribers and whatever it must remember between events. */
export class Topic {
  readonly subscribers = new Set<StreamClient>();
  /** `{"stream":"<name>","data":` — the combined wrapper's head. */
  readonly wrapperHead: string;
  /** Depth streams: the changes not sent yet. */
  readonly window: DepthWindow | null;
  /** bookTicker: the top of the book last sent. */
  lastTop: Top | null = null;
  /** Partial depth: the update id last sent. */
  lastSentUpdateId = -1;

  constructor(readonly stream: StreamName) {
    this.wrapperHead = `{"stream":${JSON.stringify(stream.name)},"data":`;
    this.window = stream.kind === 'depth' ? new DepthWindow() : null;
  }

  get name(): string {
    return this.stream.name;
  }
}
