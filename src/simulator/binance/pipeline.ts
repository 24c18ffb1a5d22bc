import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from '../../core/logger.js';
import type { Authenticated } from './auth.js';
import { BinanceError, errors } from './errors.js';
import type { Json } from './format.js';
import type { Params } from './params.js';
import type { Route } from './routes.js';

/** One REST request on its way through the pipeline. Stages fill in `params`, `route` and `auth`. */
export interface RestRequest {
  readonly method: string;
  readonly path: string;
  /** The query string exactly as received (no leading `?`), still percent-encoded. */
  readonly rawQuery: string;
  /** The body exactly as received. */
  readonly rawBody: string;
  readonly headers: IncomingHttpHeaders;
  /** The client's address (rate limits are per IP). */
  readonly ip: string;
  /** The exchange clock when the request arrived. */
  readonly receivedAt: number;
  params: Params | null;
  route: Route | null;
  auth: Authenticated | null;
  /** Scratch space for stages added by extensions (rate limits, faults). */
  readonly state: Map<string, unknown>;
}

export interface RestResponse {
  status: number;
  /** A JSON value, or a string sent as is, or null for no body. */
  body: Json | null;
  headers: Record<string, string>;
}

/**
 * A stage of request handling. It may answer by itself (an error, a 429) or call `next` for the rest
 * of the pipeline and then change, delay or replace that answer. Errors thrown by later stages
 * reach it already turned into responses, so every stage sees every outcome.
 */
export type Stage = (request: RestRequest, next: () => Promise<RestResponse>) => Promise<RestResponse>;

export interface StagePosition {
  before?: string;
  after?: string;
}

/** The ordered, named stages a REST request goes through. */
export class Pipeline {
  private stages: { name: string; stage: Stage }[] = [];

  constructor(private readonly logger: Logger) {}

  /** Adds a stage at the end, or before/after a named one. */
  use(name: string, stage: Stage, position: StagePosition = {}): this {
    if (this.stages.some((s) => s.name === name)) throw new Error(`pipeline stage ${name} already exists`);
    const anchor = position.before ?? position.after;
    let index = this.stages.length;
    if (anchor !== undefined) {
      const at = this.stages.findIndex((s) => s.name === anchor);
      if (at < 0) throw new Error(`no pipeline stage ${anchor}`);
      index = position.before !== undefined ? at : at + 1;
    }
    this.stages.splice(index, 0, { name, stage });
    return this;
  }

  remove(name: string): boolean {
    const before = this.stages.length;
    this.stages = this.stages.filter((s) => s.name !== name);
    return this.stages.length < before;
  }

  names(): string[] {
    return this.stages.map((s) => s.name);
  }

  run(request: RestRequest): Promise<RestResponse> {
    const stages = this.stages;
    const step = async (i: number): Promise<RestResponse> => {
      const entry = stages[i];
      if (entry === undefined) return { status: 404, body: null, headers: {} };
      try {
        return await entry.stage(request, () => step(i + 1));
      } catch (error) {
        return this.errorResponse(error, request);
      }
    };
    return step(0);
  }

  private errorResponse(error: unknown, request: RestRequest): RestResponse {
    if (error instanceof BinanceError) return { status: error.status, body: error.toJSON(), headers: {} };
    this.logger.error({ err: error, method: request.method, path: request.path }, 'simulator request failed');
    const unknown = errors.unknown();
    return { status: unknown.status, body: unknown.toJSON(), headers: {} };
  }
}
