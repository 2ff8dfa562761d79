import { setMaxListeners } from 'node:events';
import type { Node, NodeMessage, NodeMessageInFlow } from 'node-red';
import type { RequestOptions, Wait } from '../client/client';
import { CometError } from '../client/errors';
import type { Translate } from '../client/translate';
import { clockTime } from '../text/format';
import { StatusReporter, type Summary } from './status';

/**
 * What every node of the package gets for its life between deploy and close:
 * a signal that aborts when the node closes, its status, and a way to make
 * the close wait for work that must finish cleaning up (a download removing
 * its temporary file) before the next flow starts.
 */
export interface Lifecycle {
  /** Aborts on close (redeploy, shutdown), with an ABORTED CometError as its reason. */
  readonly signal: AbortSignal;
  readonly status: StatusReporter;
  /** What every request of the node is sent with: the close signal, and the waits its status tells of. */
  readonly request: RequestOptions;
  /** Makes the node's close wait until `work` has settled; returns `work`. */
  hold<T>(work: Promise<T>): Promise<T>;
  /** Runs `cleanup` on close, after the abort (a poller's stop, a route's removal), told whether the node was deleted from the flows; the close waits for what it returns. */
  onClose(cleanup: (removed: boolean) => unknown): void;
}

export interface LifecycleOptions {
  /** Runs first on close: a line to log about work the close cuts short, if any. */
  readonly closingWarning?: () => string | undefined;
}

/**
 * The one close handler of a node: abort everything in flight, stop the
 * status, then wait for held work and cleanups before telling Node-RED the
 * node is gone. No timer, socket or later send outlives it.
 */
export function startLifecycle(node: Node, t: Translate, options: LifecycleOptions = {}): Lifecycle {
  return makeLifecycle(node, t, options).life;
}

function makeLifecycle(node: Node, t: Translate, options: LifecycleOptions): { life: Lifecycle; waits: WaitStatus } {
  const closing = new AbortController();
  // Each request in flight listens for the close, and a config node may allow
  // a hundred at once: by design, not the leak Node warns of past ten.
  setMaxListeners(0, closing.signal);
  const status = new StatusReporter(node, t);
  const waits = new WaitStatus(status, t);
  const held = new Set<Promise<unknown>>();
  const cleanups: ((removed: boolean) => unknown)[] = [];

  node.on('close', (removed: boolean, done: () => void) => {
    const warning = options.closingWarning?.();
    if (warning) node.warn(warning);
    closing.abort(CometError.aborted(t('status.cancelled')));
    status.stop();
    const closed = Promise.allSettled([...held, ...cleanups.map((cleanup) => Promise.resolve().then(() => cleanup(removed === true)))]);
    void closed.then(() => done());
  });

  const life: Lifecycle = {
    signal: closing.signal,
    status,
    request: { signal: closing.signal, onWait: waits.report },
    hold(work) {
      const settled = work.then(noop, noop);
      held.add(settled);
      void settled.then(() => held.delete(settled));
      return work;
    },
    onClose(cleanup) {
      cleanups.push(cleanup);
    },
  };
  return { life, waits };
}

/**
 * The wait a request of the node reported last (the one that ends last):
 * shown in the status, and shown again instead of a msg's green dot or a
 * new msg's blue ring until it is over, so that a node working through a
 * queue that waits says so, not only in the moment a request starts waiting.
 */
class WaitStatus {
  private current: Wait | undefined;

  constructor(
    private readonly status: StatusReporter,
    private readonly t: Translate,
  ) {}

  readonly report = (wait: Wait): void => {
    if (!this.showing() || wait.until >= (this.current as Wait).until) this.current = wait;
    this.show(this.current as Wait);
  };

  /** Nothing of the node waits any more (its last msg is done), whatever the estimate said. */
  clear(): void {
    this.current = undefined;
  }

  /** Shows the wait again while it lasts; false (nothing shown) once it is over. */
  showAgain(): boolean {
    if (!this.showing()) return false;
    this.show(this.current as Wait);
    return true;
  }

  private showing(): boolean {
    if (this.current && this.current.until > Date.now()) return true;
    this.current = undefined;
    return false;
  }

  private show(wait: Wait): void {
    const time = clockTime(wait.until);
    this.status.progress(this.t(wait.reason === 'budget' ? 'status.waitingBudget' : 'status.waitingRateLimit', { time }));
  }
}

/**
 * Works on one msg and returns the status summary (or a function making it,
 * called only if the throttled status shows it); the msg (changed in place)
 * is then sent on. Throwing fails the msg to the Catch node.
 */
export type MessageHandler = (msg: NodeMessage & Record<string, unknown>, context: Lifecycle) => Promise<Summary>;

/**
 * The Node-RED conventions every msg-handling node keeps, in one place: blue
 * ring while working, green dot with a summary, red ring and done(err) on
 * failure; the same msg object sent on; on close, everything in flight is
 * aborted, nothing is sent afterwards, and one line (not one per msg) says
 * how many were cancelled.
 */
export function handleMessages(node: Node, t: Translate, handler: MessageHandler): Lifecycle {
  let inFlight = 0;
  const { life: context, waits } = makeLifecycle(node, t, {
    closingWarning: () => (inFlight > 0 ? t('errors.closed', { count: inFlight }) : undefined),
  });
  const { signal, status } = context;

  node.on('input', (msg: NodeMessageInFlow, send: (msg: NodeMessage) => void, done: (err?: Error) => void) => {
    inFlight++;
    if (!waits.showAgain()) status.requesting(inFlight);
    let work: Promise<Summary>;
    try {
      work = handler(msg as NodeMessage & Record<string, unknown>, context);
    } catch (err) {
      work = Promise.reject(err);
    }
    work.then(
      (summary) => {
        inFlight--;
        if (signal.aborted) return done();
        if (inFlight === 0) waits.clear();
        if (!waits.showAgain()) status.done(summary);
        send(msg);
        done();
      },
      (err: unknown) => {
        inFlight--;
        // Cancelled by close: the close handler logged one line for all of them.
        if (signal.aborted) return done();
        if (inFlight === 0) waits.clear();
        status.failed(err);
        done(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });

  return context;
}

function noop(): void {}
