import { EventEmitter } from 'node:events';
import type { CometError } from './errors';

/**
 * One attempt's abort switch, handed to undici as the request's signal (its
 * API takes an EventEmitter as well as an AbortSignal): an AbortController per
 * attempt cost about 15% of a small call's CPU, in making the AbortSignal and
 * in its EventTarget listeners.
 */
export class AttemptAbort extends EventEmitter {
  aborted = false;
  reason: unknown;

  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }

  // undici 8 takes a signal with an `aborted` property for an AbortSignal and
  // listens through Node's events.addAbortListener, which calls only these two.
  addEventListener(_type: 'abort', listener: () => void): void {
    this.once('abort', listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    this.off('abort', listener);
  }
}

/** An attempt's failure and whether trying again may help. */
export class AttemptFailure {
  constructor(
    readonly error: CometError,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {}
}

/** undici's own timeouts: no headers, a stalled body, or no connection in time. */
export function isUndiciTimeout(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
}
