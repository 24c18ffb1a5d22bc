import type { UserStreamListener, UserStreamMessage } from '../../../../src/connector/user-stream-source.js';

/** A UserStreamListener that records every call, in order. */
export class RecordingUserStreamListener implements UserStreamListener {
  readonly messages: UserStreamMessage[] = [];
  readonly disconnections: string[] = [];
  subscriptions = 0;
  /** Every call: `subscribed`, `disconnected <reason>`, or the message kind. */
  readonly calls: string[] = [];

  onMessage(message: UserStreamMessage): void {
    this.messages.push(message);
    this.calls.push(message.kind);
  }

  onSubscribed(): void {
    this.subscriptions++;
    this.calls.push('subscribed');
  }

  onDisconnected(reason: string): void {
    this.disconnections.push(reason);
    this.calls.push(`disconnected ${reason}`);
  }

  of<K extends UserStreamMessage['kind']>(kind: K): Array<Extract<UserStreamMessage, { kind: K }>> {
    return this.messages.filter((m): m is Extract<UserStreamMessage, { kind: K }> => m.kind === kind);
  }
}
