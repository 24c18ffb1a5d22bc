import type { OrderEvent } from '../../core/events/order-events.js';
import { renderEventLine, renderStatusLine, renderView, type RenderOptions } from './render.js';
import type { ViewSnapshot } from './snapshot.js';

/** Where the bot's view goes: a frame redrawn in place on a terminal, plain lines otherwise. */
export interface ViewOutput {
  /** A new state to show (a frame on a terminal; a status line now and then otherwise). */
  frame(snapshot: ViewSnapshot): void;
  /** One of the bot's order events (printed as a line without a terminal; the frame shows it otherwise). */
  event(event: OrderEvent, startedAt: number): void;
  /** A message that stays (printed below the frame on a terminal). */
  message(line: string): void;
  /** Leaves the terminal as it was (cursor shown, below the last frame). */
  close(): void;
}

export interface ViewStream {
  write(text: string): unknown;
  readonly columns?: number;
}

const ESC = '\u001b[';
const HOME = `${ESC}H`;
const CLEAR_SCREEN = `${ESC}2J`;
const CLEAR_LINE = `${ESC}K`;
const CLEAR_BELOW = `${ESC}J`;
const HIDE_CURSOR = `${ESC}?25l`;
const SHOW_CURSOR = `${ESC}?25h`;

/** Redraws the whole view from the top-left corner each frame, clearing what the last frame left. */
export function terminalView(stream: ViewStream, options: RenderOptions): ViewOutput {
  let started = false;
  let closed = false;
  const messages: string[] = [];
  return {
    frame(snapshot) {
      if (closed) return;
      // A pseudo-terminal with no size (some CI runners, `script`) reports 0 columns: no cut then.
      const columns = stream.columns !== undefined && stream.columns > 0 ? stream.columns : undefined;
      const lines = renderView(snapshot, { ...options, ...(columns !== undefined && { width: columns }) });
      const tail = messages.slice(-5);
      const text = [...lines, ...(tail.length > 0 ? ['', ...tail] : [])].map((l) => `${l}${CLEAR_LINE}`).join('\n');
      stream.write(`${started ? '' : `${HIDE_CURSOR}${CLEAR_SCREEN}`}${HOME}${text}\n${CLEAR_BELOW}`);
      started = true;
    },
    event() {},
    message(line) {
      messages.push(line);
    },
    close() {
      if (closed) return;
      closed = true;
      if (started) stream.write(SHOW_CURSOR);
    },
  };
}

/** Lines for a log or a pipe: each order event, and a status line every `statusEveryMs`. */
export function plainView(stream: ViewStream, statusEveryMs: number): ViewOutput {
  let lastStatus: number | undefined;
  return {
    frame(snapshot) {
      if (lastStatus !== undefined && snapshot.now - lastStatus < statusEveryMs) return;
      lastStatus = snapshot.now;
      stream.write(`${renderStatusLine(snapshot)}\n`);
    },
    event(event, startedAt) {
      stream.write(`${renderEventLine(event, startedAt)}\n`);
    },
    message(line) {
      stream.write(`${line}\n`);
    },
    close() {},
  };
}
