/**
 * A FIFO concurrency limit: at most `concurrency` tasks run at once; the rest
 * wait in a bounded queue. A waiting task whose signal aborts leaves the
 * queue at once, so a redeploy never starts work it no longer wants.
 *
 * Waiters that share a signal (every msg of one node shares its close
 * signal) share one abort listener: an AbortSignal keeps its listeners in a
 * list that is searched on removal, so one listener per queued msg would
 * make every request of a long queue pay for the whole queue.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: Waiter[] = [];
  /** The waiters of each signal, and the one listener that cancels them. */
  private readonly watched = new Map<AbortSignal, Watch>();
  /** Index of the first live entry: shifting a long array on every release is O(n). */
  private head = 0;
  /** Aborted waiters still in the array; skipped when their turn comes. */
  private cancelled = 0;

  /** `queueFull` makes the error for a task refused because `maxQueued` are waiting. */
  constructor(
    readonly concurrency: number,
    readonly maxQueued: number,
    private readonly queueFull: () => Error,
  ) {}

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length - this.head - this.cancelled;
  }

  /**
   * Runs `task` once a slot is free; the slot is released however it ends,
   * before whoever waits for the task hears of it. With a slot free the slot
   * is taken in this call and the task starts in the next microtask (so the
   * calls made in one go all reach the limiter before any task runs, as a
   * request budget's estimate counts on).
   */
  run<T>(signal: AbortSignal | undefined, task: () => Promise<T>): Promise<T> {
    if (!signal?.aborted && this.active < this.concurrency && this.queued === 0) {
      this.dropCancelled();
      this.active++;
      return this.start(task);
    }
    return this.acquire(signal).then(() => this.start(task));
  }

  /** Starts `task` (a throw becomes its rejection) in the slot taken for it. */
  private start<T>(task: () => Promise<T>): Promise<T> {
    const work = Promise.resolve().then(task);
    work.then(this.release, this.release);
    return work;
  }

  /** Waits for a slot (run takes a free one without asking). */
  private acquire(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.queued >= this.maxQueued) return Promise.reject(this.queueFull());
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal };
      if (signal) this.watch(signal).waiters.add(waiter);
      this.waiting.push(waiter);
    });
  }

  private watch(signal: AbortSignal): Watch {
    let watch = this.watched.get(signal);
    if (!watch) {
      const waiters = new Set<Waiter>();
      const onAbort = (): void => {
        this.watched.delete(signal);
        for (const waiter of waiters) {
          waiter.cancelled = true;
          this.cancelled++;
          waiter.reject(signal.reason);
        }
      };
      watch = { waiters, onAbort };
      this.watched.set(signal, watch);
      signal.addEventListener('abort', onAbort, { once: true });
    }
    return watch;
  }

  /** The waiter leaves the queue: its signal's listener goes with the last waiter of it. */
  private unwatch(waiter: Waiter): void {
    const { signal } = waiter;
    const watch = signal ? this.watched.get(signal) : undefined;
    if (!signal || !watch) return;
    watch.waiters.delete(waiter);
    if (watch.waiters.size === 0) {
      signal.removeEventListener('abort', watch.onAbort);
      this.watched.delete(signal);
    }
  }

  private readonly release = (): void => {
    this.active--;
    while (this.head < this.waiting.length) {
      const next = this.waiting[this.head++];
      if (next.cancelled) {
        this.cancelled--;
        continue;
      }
      this.unwatch(next);
      this.active++;
      next.resolve();
      break;
    }
    this.compact();
  };

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
  cancelled?: boolean;
}

interface Watch {
  readonly waiters: Set<Waiter>;
  readonly onAbort: () => void;
}
