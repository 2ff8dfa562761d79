import { ERROR_CODES, isCometError } from '../client/errors';

/** The longest the watch backs off to after repeated 429s, unless Comet asks for longer. */
const MAX_BACKOFF_MS = 60 * 60 * 1000;
/** setTimeout fires at once for anything longer (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The wait before the next poll: the interval; after `rateLimited` 429s in a
 * row, the interval doubled that many times (up to an hour, or the interval
 * if longer), and never less than the wait Comet asked for.
 */
export function nextPollDelayMs(intervalMs: number, rateLimited: number, retryAfterSeconds?: number): number {
  if (rateLimited === 0) return intervalMs;
  const doubled = Math.min(intervalMs * 2 ** rateLimited, Math.max(MAX_BACKOFF_MS, intervalMs));
  return Math.max(doubled, (retryAfterSeconds ?? 0) * 1000);
}

export interface PollerOptions {
  readonly intervalMs: number;
  /** One poll; rejects when it failed. */
  readonly poll: () => Promise<void>;
  /** A failed poll that the timer started (one asked for goes to whoever asked). */
  readonly onTimerFailure: (err: unknown) => void;
}

/**
 * Polls one at a time: `intervalMs` after the last poll ended (longer after
 * Comet's 429s), or at once when asked. Asked while a poll runs, the next
 * starts when it ends, and every ask in between shares that one, so polls
 * never overlap however slow Comet is.
 */
export class Poller {
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private rateLimited = 0;
  private retryAfterSeconds: number | undefined;

  constructor(private readonly options: PollerOptions) {}

  /** Polls now, or right after the poll in flight; settles as that poll does. */
  pollNow(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (!this.running) return this.start();
    this.queued ??= this.running.then(noop, noop).then(() => {
      this.queued = undefined;
      return this.pollNow();
    });
    return this.queued;
  }

  /** No more polls; resolves once the one in flight (aborted by its owner) has ended. */
  stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    return (this.running ?? Promise.resolve()).then(noop, noop);
  }

  private start(): Promise<void> {
    clearTimeout(this.timer);
    const run = Promise.resolve()
      .then(() => this.options.poll())
      .then(
        () => {
          this.rateLimited = 0;
        },
        (err: unknown) => {
          const throttled = isCometError(err) && err.code === ERROR_CODES.RATE_LIMITED;
          this.rateLimited = throttled ? this.rateLimited + 1 : 0;
          this.retryAfterSeconds = throttled ? err.retryAfterSeconds : undefined;
          throw err;
        },
      )
      .finally(() => {
        this.running = undefined;
        this.schedule();
      });
    this.running = run;
    return run;
  }

  private schedule(): void {
    // A poll already asked for starts now and schedules the next itself.
    if (this.stopped || this.queued) return;
    const delay = nextPollDelayMs(this.options.intervalMs, this.rateLimited, this.retryAfterSeconds);
    this.timer = setTimeout(() => {
      this.pollNow().catch(this.options.onTimerFailure);
    }, Math.min(delay, MAX_TIMER_MS));
  }
}

function noop(): void {}
