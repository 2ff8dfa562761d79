import type { CometError } from './errors';

/**
 * One attempt's abort switch, handed to undici as the request's signal:
 * undici takes any object with `reason` and the two listener methods, adds
 * one listener and takes it away when the request is over. An
 * AbortController per attempt was a large part of a small call's CPU, in
 * making the AbortSignal and in its EventTarget listeners. It has no
 * `aborted` property on purpose: undici hands an object with one to Node's
 * events.addAbortListener, which checks it and wraps the listener for
 * disposal on every request; without, undici adds its listener here
 * directly. So undici cannot see that a switch was already thrown: the
 * client checks `fired` itself before each request it sends with one.
 */
export class AttemptAbort {
  reason: unknown;
  private thrown = false;
  private listeners: (() => void)[] = [];

  get fired(): boolean {
    return this.thrown;
  }

  abort(reason?: unknown): void {
    if (this.thrown) return;
    this.thrown = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    this.listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const at = this.listeners.indexOf(listener);
    if (at >= 0) this.listeners.splice(at, 1);
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
