import type { Translate } from '../client/translate';
import { type StatusReporter, type Summary } from '../node-red/status';
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
  readonly add = (chunk: number): void => {
    this.bytes += chunk;
    const now = Date.now();
    if (now - this.lastShown < SHOW_EVERY_MS) return;
    this.lastShown = now;
    // Worded only if the throttled status shows it: a small download's one chunk is done before it would be.
    const { bytes, total } = this;
    this.status.progress(() => {
      const size = formatBytes(bytes);
      return total ? this.t('status.progress', { size, percent: Math.floor((100 * bytes) / total) }) : this.t('status.received', { size });
    });
  };

  /** A later phase (unpacking), in words of the node's catalog. */
  phase(key: string, vars: Record<string, unknown>): void {
    this.status.progress(this.t(key, vars));
  }

  /**
   * The final status: size and time, "1.1 GB in 3.2 s", or another summary of
   * the catalog; the time is taken now, the words only if the status shows them.
   */
  summary(bytes: number, key = 'status.saved', vars: Record<string, unknown> = {}): Summary {
    const seconds = (Date.now() - this.startedAt) / 1000;
    return () => this.t(key, { size: formatBytes(bytes), seconds: seconds.toFixed(seconds < 10 ? 1 : 0), ...vars });
  }
}
