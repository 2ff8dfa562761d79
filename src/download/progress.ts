import type { Translate } from '../client/translate';
import { type StatusReporter } from '../node-red/status';
import { formatBytes } from '../text/format';

/**
 * A download arrives in tens of thousands of chunks: the status is worked out
 * at most this often, so progress costs nothing next to the bytes themselves.
 */
const SHOW_EVERY_MS = 500;

/** One download's bytes, shown in the node's status while they arrive. */
export class DownloadProgress {
  private bytes = 0;
  private total: number | undefined;
  private lastShown = 0;
  private readonly startedAt = Date.now();

  /** `t` reads the download node's own catalog. */
  constructor(
    private readonly status: StatusReporter,
    private readonly t: Translate,
  ) {}

  /** A new attempt: count from `from` (a resumed one's offset; 0 for a retry from scratch) against the whole size. */
  restart(total: number | undefined, from = 0): void {
    this.bytes = from;
    this.total = total;
  }

  /** Counts a chunk; a method bound to the instance, to hand out as a callback. */
  readonly add = (bytes: number): void => {
    this.bytes += bytes;
    const now = Date.now();
    if (now - this.lastShown < SHOW_EVERY_MS) return;
    this.lastShown = now;
    const size = formatBytes(this.bytes);
    this.status.progress(
      this.total ? this.t('status.progress', { size, percent: Math.floor((100 * this.bytes) / this.total) }) : this.t('status.received', { size }),
    );
  };

  /** A later phase (unpacking), in words of the node's catalog. */
  phase(key: string, vars: Record<string, unknown>): void {
    this.status.progress(this.t(key, vars));
  }

  /** The final status: size and time, "1.1 GB in 3.2 s", or another summary of the catalog. */
  summary(bytes: number, key = 'status.saved', vars: Record<string, unknown> = {}): string {
    const seconds = (Date.now() - this.startedAt) / 1000;
    return this.t(key, { size: formatBytes(bytes), seconds: seconds.toFixed(seconds < 10 ? 1 : 0), ...vars });
  }
}
