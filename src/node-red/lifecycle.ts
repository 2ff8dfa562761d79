import { setMaxListeners } from 'node:events';
import type { Node, NodeMessage, NodeMessageInFlow } from 'node-red';
import { CometError } from '../client/errors';
import type { Translate } from '../client/translate';
import { StatusReporter, type Summary } from './status';

/** What a node's msg handler gets besides the msg. */
export interface MessageContext {
  /** Aborts when the node closes (redeploy, shutdown). */
  readonly signal: AbortSignal;
  readonly status: StatusReporter;
}

/**
 * Works on one msg and returns the status summary (or a function making it,
 * called only if the throttled status shows it); the msg (changed in place)
 * is then sent on. Throwing fails the msg to the Catch node.
 */
export type MessageHandler = (msg: NodeMessage & Record<string, unknown>, context: MessageContext) => Promise<Summary>;

/**
 * The Node-RED conventions every node of the package keeps, in one place:
 * blue ring while working, green dot with a summary, red ring and done(err)
 * on failure; the same msg object sent on; on close, everything in flight is
 * aborted, nothing is sent afterwards, and one line (not one per msg) says
 * how many were cancelled.
 */
export function handleMessages(node: Node, t: Translate, handler: MessageHandler): MessageContext {
  const closing = new AbortController();
  // Each request in flight listens for the close, and a config node may allow
  // a hundred at once: by design, not the leak Node warns of past ten.
  setMaxListeners(0, closing.signal);
  const status = new StatusReporter(node, t);
  const context: MessageContext = { signal: closing.signal, status };
  let inFlight = 0;

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
        if (closing.signal.aborted) return done();
        status.done(summary);
        send(msg);
        done();
      },
      (err: unknown) => {
        inFlight--;
        // Cancelled by close: the close handler logged one line for all of them.
        if (closing.signal.aborted) return done();
        status.failed(err);
        done(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });

  node.on('close', (_removed: boolean, done: () => void) => {
    if (inFlight > 0) node.warn(t('errors.closed', { count: inFlight }));
    closing.abort(CometError.aborted(t('status.cancelled')));
    status.stop();
    done();
  });

  return context;
}
