/** What a client takes a turn from before each attempt: this process's RequestBudget, or one shared with other processes. */
export interface Budget {
  /**
   * Takes a turn: undefined when the request may go now, else a promise that
   * resolves on its turn (rejects with the signal's reason once it aborts, or
   * with a CometError when the turn cannot be had). `onWait` hears about
   * until when the request waits, `behind` more requests queued after it counted.
   */
  take(signal?: AbortSignal, onWait?: (until: number) => void, behind?: number): Promise<void> | undefined;
}

/**
 * A request budget: at most `perMinute` requests a minute, spread evenly (one
 * every 60 s / perMinute), shared by everything that uses one client. A
 * request that comes too early waits its turn in a FIFO queue; only the head
 * of the queue has a timer, so the budget holds one timer however many wait,
 * and none once the queue is empty. A waiter whose signal aborts leaves the
 * queue at once and gives its turn to the next: a redeploy costs no time.
 *
 * The client takes from the budget inside a slot of its Limiter, so at most
 * `concurrency` requests wait here; the rest wait in the Limiter's queue.
 */
export class RequestBudget implements Budget {
  readonly intervalMs: number;
  /** The earliest time the next request may go. */
  private nextAt = Number.NEGATIVE_INFINITY;
  private readonly waiting: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly perMinute: number) {
    this.intervalMs = 60_000 / perMinute;
  }

  /** Requests waiting for their turn. */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * When the turn comes of the last request waiting now, or of the last of
   * `behind` more after it (the Limiter's queue): an estimate, for status texts.
   */
  lastTurnAt(behind = 0): number {
    return Math.max(this.nextAt, Date.now()) + this.intervalMs * Math.max(0, this.waiting.length - 1 + behind);
  }

  /**
   * Takes a turn: undefined when the request may go now (the common case
   * costs no promise), else a promise that resolves on its turn, or rejects
   * with the signal's reason once it aborts.
   */
  take(signal?: AbortSignal, onWait?: (until: number) => void, behind = 0): Promise<void> | undefined {
    const now = Date.now();
    if (this.waiting.length === 0 && now >= this.nextAt) {
      this.nextAt = now + this.intervalMs;
      return undefined;
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    const turn = new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, signal, onAbort: () => this.cancel(waiter, reject) };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiting.push(waiter);
      if (!this.timer) this.arm();
    });
    onWait?.(this.lastTurnAt(behind));
    return turn;
  }

  private arm(): void {
    this.timer = setTimeout(this.grant, Math.max(0, this.nextAt - Date.now()));
  }

  /** The head's turn: it goes, and the next turn is one interval from now (a late timer never bunches requests). */
  private readonly grant = (): void => {
    this.timer = undefined;
    const head = this.waiting.shift();
    if (!head) return;
    head.signal?.removeEventListener('abort', head.onAbort);
    this.nextAt = Date.now() + this.intervalMs;
    head.resolve();
    if (this.waiting.length > 0) this.arm();
  };

  private cancel(waiter: Waiter, reject: (reason: unknown) => void): void {
    const at = this.waiting.indexOf(waiter);
    if (at >= 0) this.waiting.splice(at, 1);
    if (this.waiting.length === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    reject(waiter.signal?.reason);
  }
}

interface Waiter {
  readonly resolve: () => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}
