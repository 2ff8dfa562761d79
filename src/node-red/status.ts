import type { Node, NodeStatus } from 'node-red';
import { isCometError } from '../client/errors';
import type { Translate } from '../client/translate';

/** Fewer status updates than this interval apart are merged: the editor shows the latest. */
const MIN_INTERVAL_MS = 250;

/**
 * A status text, or a function that makes it. A function is called only when
 * the status is really shown: translating a summary for every msg (i18next
 * plural rules) cost more CPU than the request itself.
 */
export type Summary = string | (() => string);

/**
 * The node's status, throttled: a flow pushing thousands of msgs a second
 * would otherwise spend more time telling the editor than calling Comet.
 * The first change after a quiet spell shows at once; later ones within the
 * interval collapse into one trailing update, so the last state always shows.
 */
export class StatusReporter {
  private lastShown = 0;
  /** The trailing update, made only when it is shown. */
  private pending: (() => NodeStatus) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly node: Node,
    private readonly t: Translate,
  ) {}

  requesting(inFlight: number): void {
    this.show(() => ({
      fill: 'blue',
      shape: 'ring',
      text: inFlight > 1 ? this.t('status.inFlight', { count: inFlight }) : this.t('status.requesting'),
    }));
  }

  progress(text: string): void {
    this.show(() => ({ fill: 'blue', shape: 'ring', text }));
  }

  done(summary: Summary): void {
    this.show(() => ({ fill: 'green', shape: 'dot', text: typeof summary === 'function' ? summary() : summary }));
  }

  /** A yellow dot: the work was done, with something the user should know (a server that lacks a field). */
  noted(text: string): void {
    this.show(() => ({ fill: 'yellow', shape: 'dot', text }));
  }

  failed(err: unknown): void {
    this.show(() => ({ fill: 'red', shape: 'ring', text: shortReason(err, this.t) }));
  }

  /** A red ring with the node's own words: a request it turned away (a webhook's 401), not a Comet failure. */
  refused(text: string): void {
    this.show(() => ({ fill: 'red', shape: 'ring', text }));
  }

  /** Stops for good (node closed): no timer left, no later update. */
  stop(): void {
    this.stopped = true;
    this.cancel();
  }

  private show(make: () => NodeStatus): void {
    if (this.stopped) return;
    const now = Date.now();
    if (!this.timer && now - this.lastShown >= MIN_INTERVAL_MS) {
      this.lastShown = now;
      this.node.status(make());
      return;
    }
    this.pending = make;
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), MIN_INTERVAL_MS - (now - this.lastShown));
    }
  }

  private flush(): void {
    this.timer = undefined;
    if (this.pending && !this.stopped) {
      this.lastShown = Date.now();
      this.node.status(this.pending());
    }
    this.pending = undefined;
  }

  private cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
  }
}

/** A few words for the red ring: the kind of failure, and the HTTP status if any. */
function shortReason(err: unknown, t: Translate): string {
  if (!isCometError(err)) return t('status.failed.other');
  const words = t(`status.failed.${err.code}`);
  return err.statusCode ? `${words} (${err.statusCode})` : words;
}
