import { setMaxListeners } from 'node:events';
import type { Node, NodeMessage, NodeMessageInFlow } from 'node-red';
import { CometError } from '../client/errors';
import type { Translate } from '../client/translate';
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
  /** Makes the node's close wait until `work` has settled; returns `work`. */
  hold<T>(work: Promise<T>): Promise<T>;
  /** Runs `cleanup` on close, after the abort (a poller's stop, a route's removal); the close waits for what it returns. */
  onClose(cleanup: () => unknown): void;
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
  const closing = new AbortController();
  // Each request in flight listens for the close, and a config node may allow
  // a hundred at once: by design, not the leak Node warns of past ten.
  setMaxListeners(0, closing.signal);
  const status = new StatusReporter(node, t);
  const held = new Set<Promise<unknown>>();
  const cleanups: (() => unknown)[] = [];

  node.on('close', (_removed: boolean, done: () => void) => {
    const warning = options.closingWarning?.();
    if (warning) node.warn(warning);
    closing.abort(CometError.aborted(t('status.cancelled')));
    status.stop();
    const closed = Promise.allSettled([...held, ...cleanups.map((cleanup) => Promise.resolve().then(cleanup))]);
    void closed.then(() => done());
  });

  return {
    signal: closing.signal,
    status,
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
  const context = startLifecycle(node, t, {
    closingWarning: () => (inFlight > 0 ? t('errors.closed', { count: inFlight }) : undefined),
  });
  const { signal, status } = context;

  node.on('input', (msg: NodeMessageInFlow, send: (msg: NodeMessage) => void, done: (err?: Error) => void) => {
    inFlight++;
    status.requesting(inFlight);
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
        status.done(summary);
        send(msg);
        done();
      },
      (err: unknown) => {
        inFlight--;
        // Cancelled by close: the close handler logged one line for all of them.
        if (signal.aborted) return done();
        status.failed(err);
        done(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });

  return context;
}

function noop(): void {}
