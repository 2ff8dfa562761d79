import { CometError, ERROR_CODES } from './errors';

/**
 * A FIFO concurrency limit: at most `concurrency` tasks run at once; the rest
 * wait in a bounded queue. A waiting task whose signal aborts leaves the
 * queue at once, so a redeploy never starts work it no longer wants.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: Waiter[] = [];
  /** Index of the first live entry: shifting a long array on every release is O(n). */
  private head = 0;
  /** Aborted waiters still in the array; skipped when their turn comes. */
  private cancelled = 0;

  constructor(
    readonly concurrency: number,
    readonly maxQueued: number,
  ) {}

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length - this.head - this.cancelled;
  }

  /** Runs `task` once a slot is free; the slot is released however it ends. */
  async run<T>(signal: AbortSignal | undefined, task: () => Promise<T>): Promise<T> {
    await this.acquire(signal);
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.active < this.concurrency && this.queued === 0) {
      this.dropCancelled();
      this.active++;
      return Promise.resolve();
    }
    if (this.queued >= this.maxQueued) {
      return Promise.reject(
        new CometError(
          ERROR_CODES.QUEUE_FULL,
          `More than ${this.maxQueued} requests are waiting for Comet: slow the flow down (a delay node in rate-limit mode) or raise the queue limit of the config node.`,
        ),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          waiter.cancelled = true;
          this.cancelled++;
          reject(abortReason(signal));
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.waiting.push(waiter);
    });
  }

  private release(): void {
    this.active--;
    while (this.head < this.waiting.length) {
      const next = this.waiting[this.head++];
      if (next.signal && next.onAbort) next.signal.removeEventListener('abort', next.onAbort);
      if (next.cancelled) {
        this.cancelled--;
        continue;
      }
      this.active++;
      next.resolve();
      break;
    }
    this.compact();
  }

  /** Only aborted waiters are left: forget them all at once. */
  private dropCancelled(): void {
    this.waiting.length = 0;
    this.head = 0;
    this.cancelled = 0;
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    } else if (this.head === this.waiting.length) {
      this.waiting.length = 0;
      this.head = 0;
    }
  }
}

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  cancelled?: boolean;
}

export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new CometError(ERROR_CODES.ABORTED, 'The request was cancelled.');
}
