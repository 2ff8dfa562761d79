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
  /** The trailing update, made only when it is shown: the reporter's function for its kind, and what it is made from. */
  private pending: ((from: unknown) => NodeStatus) | undefined;
  private pendingFrom: unknown;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly node: Node,
    private readonly t: Translate,
  ) {}

  // Each kind of status is made by one function of the reporter, given what
  // it is made from: a msg's update then allocates nothing, not even a closure.
  private readonly requestingStatus = (inFlight: number): NodeStatus => ({
    fill: 'blue',
    shape: 'ring',
    text: inFlight > 1 ? this.t('status.inFlight', { count: inFlight }) : this.t('status.requesting'),
  });
  private readonly progressStatus = (text: Summary): NodeStatus => ({ fill: 'blue', shape: 'ring', text: typeof text === 'function' ? text() : text });
  private readonly doneStatus = (summary: Summary): NodeStatus => ({ fill: 'green', shape: 'dot', text: typeof summary === 'function' ? summary() : summary });
  private readonly notedStatus = (text: string): NodeStatus => ({ fill: 'yellow', shape: 'dot', text });
  private readonly failedStatus = (err: unknown): NodeStatus => ({ fill: 'red', shape: 'ring', text: shortReason(err, this.t) });
  private readonly refusedStatus = (text: string): NodeStatus => ({ fill: 'red', shape: 'ring', text });

  requesting(inFlight: number): void {
    this.show(this.requestingStatus, inFlight);
  }

  /** A blue ring with words of the node's own (a wait, a download's progress); a function is called only if shown. */
  progress(text: Summary): void {
    this.show(this.progressStatus, text);
  }

  done(summary: Summary): void {
    this.show(this.doneStatus, summary);
  }

  /** A yellow dot: the work was done, with something the user should know (a server that lacks a field). */
  noted(text: string): void {
    this.show(this.notedStatus, text);
  }

  failed(err: unknown): void {
    this.show(this.failedStatus, err);
  }

  /** A red ring with the node's own words: a request it turned away (a webhook's 401), not a Comet failure. */
  refused(text: string): void {
    this.show(this.refusedStatus, text);
  }

  /** Stops for good (node closed): no timer left, no later update. */
  stop(): void {
    this.stopped = true;
    this.cancel();
  }

  private show<T>(make: (from: T) => NodeStatus, from: T): void {
    if (this.stopped) return;
    const now = Date.now();
    if (!this.timer && now - this.lastShown >= MIN_INTERVAL_MS) {
      this.lastShown = now;
      this.node.status(make(from));
      return;
    }
    // Called later with the same `from` it is kept with here.
    this.pending = make as (from: unknown) => NodeStatus;
    this.pendingFrom = from;
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), MIN_INTERVAL_MS - (now - this.lastShown));
    }
  }

  private flush(): void {
    this.timer = undefined;
    if (this.pending && !this.stopped) {
      this.lastShown = Date.now();
      this.node.status(this.pending(this.pendingFrom));
    }
    this.pending = undefined;
    this.pendingFrom = undefined;
  }

  private cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
    this.pendingFrom = undefined;
  }
}

/** A few words for the red ring: the kind of failure, and the HTTP status if any. */
function shortReason(err: unknown, t: Translate): string {
  if (!isCometError(err)) return t('status.failed.other');
  const words = t(`status.failed.${err.code}`);
  return err.statusCode ? `${words} (${err.statusCode})` : words;
}
