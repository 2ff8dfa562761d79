import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { CATALOGUE } from './catalogue/catalogue';
import { CometError, isCometError } from './client/errors';
import type { CometConfigNode } from './node-red/config';
import { contextMemory } from './node-red/context';
import { nodeRedTranslate } from './node-red/i18n';
import { startLifecycle } from './node-red/lifecycle';
import { ParamResolver } from './node-red/params';
import { ModelWatch, type PollOutcome } from './triggers/model-watch';
import { Poller } from './triggers/poller';
import { eventMessage } from './triggers/registry-events';
import { numberSetting } from './text/numbers';

const TYPE = 'comet-model-watch';
const REGISTRY = CATALOGUE['comet-get-registry-model'].operations;
/** The node context key of what the node has seen. */
const MEMORY_KEY = 'cometModelWatch';
const DEFAULT_INTERVAL_S = 60;
/** Polling faster than this spends Comet's 15,000 requests an hour for little; settings.js may lower it. */
const MIN_INTERVAL_S = 5;

/** Reads the watch node's own catalog. */
type Own = (key: string, vars?: Record<string, unknown>) => string;

interface WatchConfig extends NodeDef {
  server?: string;
  workspace?: string;
  modelName?: string;
  interval?: string | number;
  emitInitial?: boolean | string;
  store?: string;
}

function intervalMsOf(value: string | number | undefined, minIntervalS: number, own: Own): number {
  const seconds = numberSetting(value, DEFAULT_INTERVAL_S, { min: minIntervalS });
  if (Number.isNaN(seconds)) throw CometError.badInput(own('errors.interval', { interval: String(value), min: minIntervalS }));
  return seconds * 1000;
}

function summaryOf({ events, first, models, versions }: PollOutcome, own: Own): string {
  const time = new Date().toLocaleTimeString();
  if (events.length) return own('status.changes', { count: events.length, time });
  if (!first) return own('status.unchanged', { time });
  return own('status.watching', { versions, models });
}

/**
 * The Node-RED side of the registry watch (triggers/model-watch.ts): reads
 * the node's fields, polls on a timer or when a msg asks, sends each change
 * as a msg, shows the status, and stops with the node.
 */
export = function register(RED: NodeAPI): void {
  const t = nodeRedTranslate(RED);
  const own: Own = (key, vars) => RED._(`${TYPE}.${key}`, vars as Record<string, string | number>);
  const minIntervalS = numberSetting((RED.settings as unknown as Record<string, unknown>).cometWatchMinInterval, MIN_INTERVAL_S, { above: 0, lenient: true });

  function ModelWatchNode(this: Node, config: WatchConfig): void {
    RED.nodes.createNode(this, config);
    const node = this;
    let poller: Poller | undefined;
    let setupError: unknown;
    /** The code of the failure last logged: a lasting outage logs once, not once a poll. */
    let reported: string | undefined;
    const life = startLifecycle(node, t);
    const { signal, status } = life;
    life.onClose(() => started.then(() => poller?.stop()));

    const started = start().catch((err: unknown) => {
      setupError = err;
      status.failed(err);
      node.error(err);
    });

    async function start(): Promise<void> {
      const intervalMs = intervalMsOf(config.interval, minIntervalS, own);
      const configNode = RED.nodes.getNode(config.server ?? '') as CometConfigNode | null;
      if (!configNode) throw CometError.badInput(t('errors.noConfig'));
      const endpoint = config.modelName ? REGISTRY.details : REGISTRY.models;
      const fields = { workspace: config.workspace, modelName: config.modelName };
      const values = await new ParamResolver(RED, node, fields, endpoint, t).resolve({}, configNode.workspace);
      const watch = new ModelWatch({
        client: configNode.client(),
        workspace: String(values.workspace),
        modelName: values.modelName === undefined ? undefined : String(values.modelName),
        emitInitial: config.emitInitial === true || config.emitInitial === 'true',
        store: contextMemory(node, MEMORY_KEY, config.store || undefined),
        t: own,
      });
      if (signal.aborted) return;
      poller = new Poller({ intervalMs, poll: () => poll(watch), onTimerFailure: reportTimerFailure });
      poller.pollNow().catch(reportTimerFailure);
    }

    function reportTimerFailure(err: unknown): void {
      const code = isCometError(err) ? err.code : 'other';
      if (code === reported) return;
      reported = code;
      // A msg, so that a Catch node hears of it.
      node.error(err, { topic: config.modelName || config.workspace || '' } as NodeMessage);
    }

    async function poll(watch: ModelWatch): Promise<void> {
      status.requesting(1);
      try {
        const outcome = await watch.poll(signal);
        if (signal.aborted) return;
        for (const event of outcome.events) node.send(eventMessage(event) as NodeMessage);
        reported = undefined;
        status.done(summaryOf(outcome, own));
      } catch (err) {
        if (!signal.aborted) status.failed(err);
        throw err;
      }
    }

    node.on('input', (_msg: NodeMessage, _send: unknown, done: (err?: Error) => void) => {
      started
        .then(() => {
          if (setupError) throw setupError;
          return poller?.pollNow();
        })
        .then(
          () => done(),
          (err: unknown) => done(err instanceof Error ? err : new Error(String(err))),
        );
    });
  }

  RED.nodes.registerType(TYPE, ModelWatchNode as never);
};
