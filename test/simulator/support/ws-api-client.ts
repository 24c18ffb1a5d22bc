import { createHmac } from 'node:crypto';
import { WsTestClient } from './ws-client.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- JSON under test */

/** The WebSocket API payload as the docs say: every parameter but `signature`, sorted by name, unencoded. */
export function wsPayload(params: Record<string, string | number | boolean>): string {
  return Object.keys(params)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${String(params[k])}`)
    .join('&');
}

export function wsSign(secret: string, params: Record<string, string | number | boolean>): string {
  return createHmac('sha256', secret).update(wsPayload(params)).digest('hex');
}

/** A WebSocket API client for tests: numbered requests, signed ones with the account's key. */
export class WsApiTestClient {
  private nextId = 1;

  private constructor(
    readonly ws: WsTestClient,
    readonly apiKey: string,
    readonly apiSecret: string,
  ) {}

  static async open(url: string, apiKey = '', apiSecret = ''): Promise<WsApiTestClient> {
    return new WsApiTestClient(await WsTestClient.open(url), apiKey, apiSecret);
  }

  call(method: string, params?: Record<string, unknown>): Promise<any> {
    const id = this.nextId++;
    return this.ws.request(params === undefined ? { id, method } : { id, method, params });
  }

  signed(method: string, params: Record<string, string | number | boolean> = {}, timestamp = Date.now()): Promise<any> {
    const all: Record<string, string | number | boolean> = { ...params, apiKey: this.apiKey, timestamp };
    return this.call(method, { ...all, signature: wsSign(this.apiSecret, all) });
  }

  /** The next user data event of a subscription that satisfies `predicate`. */
  event(predicate: (event: any) => boolean = () => true, subscriptionId?: number): Promise<any> {
    return this.ws
      .next((m) => m.event !== undefined && (subscriptionId === undefined || m.subscriptionId === subscriptionId) && predicate(m.event), 'a user data event')
      .then((m) => m.event);
  }

  close(): Promise<void> {
    return this.ws.close();
  }
}
