import type { IncomingHttpHeaders } from 'node:http';
import { headerValue } from './answers';

/** Statuses worth asking again: throttling and passing server trouble. */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/** Network failures that happen to a good request on a bad moment. */
const RETRY_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

export function isRetryableNetworkError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && RETRY_NETWORK_CODES.has(code);
}

export interface BackoffOptions {
  /** First wait, before jitter. */
  readonly baseMs: number;
  /** No single wait is longer. */
  readonly maxMs: number;
}

/**
 * Exponential backoff with full jitter (a random wait up to base * 2^attempt),
 * so that many clients throttled at once do not come back at once.
 */
export function backoffMs(attempt: number, opts: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * The wait the server asked for, in ms: Comet's `Retry-After-Custom`
 * (seconds, may be fractional), else `Retry-After` (seconds or an HTTP date).
 */
export function serverRetryAfterMs(headers: IncomingHttpHeaders, now: number = Date.now()): number | undefined {
  const custom = Number.parseFloat(headerValue(headers, 'retry-after-custom') ?? '');
  if (Number.isFinite(custom) && custom >= 0) return Math.round(custom * 1000);
  const standard = headerValue(headers, 'retry-after');
  if (!standard) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(standard)) return Math.round(Number.parseFloat(standard) * 1000);
  const date = Date.parse(standard);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Waits `ms`, or rejects as soon as `signal` aborts; leaves no timer behind. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject((signal as AbortSignal).reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
