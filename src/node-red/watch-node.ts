import type { Node, NodeAPI, NodeMessage } from 'node-red';
import type { RequestOptions } from '../client/client';
import { CometError, isCometError } from '../client/errors';
import type { Translate } from '../client/translate';
import { numberSetting } from '../text/numbers';
import type { TriggerMessage } from '../triggers/event-id';
import type { MemoryStore } from '../triggers/memory-store';
import { Poller } from '../triggers/poller';
import type { CometConfigNode } from './config';
import { watchMemory } from './context';
import { nodeRedTranslate } from './i18n';
import { startLifecycle } from './lifecycle';

const DEFAULT_INTERVAL_S = 60;
/** Polling faster than this spends Comet's 15,000 requests an hour for little; settings.js may lower it. */
const MIN_INTERVAL_S = 5;

/** The properties every watch node has. */
export interface WatchNodeConfig {
  server?: string;
  interval?: string | number;
  emitInitial?: boolean | string;
  /** The context store that keeps what the watch has seen (blank: the default store). */
  store?: string;
}

/**
 * A trigger's poll, as the glue runs it: what it found, kept with its msgs
 * before they are handed out (triggers/remembered.ts), and told when they were.
 */
export interface WatchPoll<Outcome> {
  /** `request`: the node's close signal, and its status told of any wait (the request budget, Comet's rate limit). */
  poll(request: RequestOptions): Promise<Outcome>;
  /** The outcome's msgs were handed to Node-RED: they leave the outbox. */
  sent(): Promise<void>;
}

/** What every poll of every kind of watch gives the glue. */
export interface WatchOutcome {
  /**
   * The msgs to send, in order, each with `eventId`, the stable id of its
   * change (triggers/event-id.ts): those an earlier run kept and did not
   * send, then this poll's.
   */
  readonly messages: readonly TriggerMessage[];
}

/** What makes one kind of watch node: its trigger, and how its findings become status. */
export interface WatchKind<Config extends WatchNodeConfig, Outcome extends WatchOutcome> {
  readonly type: string;
  /** The node context key of what the watch has seen. */
  readonly memoryKey: string;
  /** Makes the trigger from the node's resolved settings; throws a CometError on a bad one. */
  create(setup: WatchSetup<Config>): Promise<WatchPoll<Outcome>>;
  /** The green dot's words after a poll. */
  summaryOf(outcome: Outcome, own: Translate): string;
  /** Something a poll found that the user should know (an older server): its sentence logged once, its words in a yellow status. */
  noticeOf?(outcome: Outcome, own: Translate): WatchNotice | undefined;
  /** msg.topic of a failed timed poll's error, so a Catch node can tell watches apart. */
  errorTopic(config: Config): string;
  /**
   * Reads what an input msg sets before the poll it asks for (the metric
   * watch's msg.rules), for the node's watch of now and any it makes later
   * (keep it by `node`); throws a CometError on a bad one.
   */
  receive?(watch: WatchPoll<Outcome>, msg: NodeMessage, own: Translate, node: Node): void;
}

export interface WatchNotice {
  /** The sentence for the log. */
  readonly log: string;
  /** A few words for the status. */
  readonly status: string;
}

export interface WatchSetup<Config> {
  readonly RED: NodeAPI;
  readonly node: Node;
  readonly config: Config;
  readonly configNode: CometConfigNode;
  readonly memory: MemoryStore;
  readonly emitInitial: boolean;
  /** The shared catalog; `own` reads the node's own. */
  readonly t: Translate;
  readonly own: Translate;
}

/**
 * Registers a watch node: a trigger polled on a timer (never two polls at
 * once, slower after Comet's 429s) or when a msg asks, its memory in the
 * node context store the user picked, each finding sent as a msg, a lasting
 * outage logged once, and everything stopped with the node.
 */
export function registerWatchNode<Config extends WatchNodeConfig, Outcome extends WatchOutcome>(RED: NodeAPI, kind: WatchKind<Config, Outcome>): void {
  const t = nodeRedTranslate(RED);
  const own: Translate = (key, vars) => RED._(`${kind.type}.${key}`, vars as Record<string, string | number>);
  const minIntervalS = numberSetting((RED.settings as unknown as Record<string, unknown>).cometWatchMinInterval, MIN_INTERVAL_S, { above: 0, lenient: true });

  function WatchNode(this: Node, config: Config): void {
    RED.nodes.createNode(this, config as never);
    const node = this;
    let poller: Poller | undefined, watched: WatchPoll<Outcome> | undefined, setupError: unknown;
    /** The code of the failure last logged: a lasting outage logs once, not once a poll. */
    let reported: string | undefined;
    /** The notice last logged: logged once, not once a poll. */
    let noticed: string | undefined;
    const life = startLifecycle(node, t);
    const { signal, status } = life;
    const { memory, forget } = watchMemory(RED, node, kind.memoryKey, config.store || undefined);

    const started = start().catch((err: unknown) => {
      setupError = err;
      status.failed(err);
      node.error(err);
    });
    life.onClose((removed) => started.then(() => poller?.stop()).then(() => (removed ? forget() : undefined)));

    async function start(): Promise<void> {
      const intervalMs = intervalMsOf(config.interval, minIntervalS, own);
      const configNode = RED.nodes.getNode(config.server ?? '') as CometConfigNode | null;
      if (!configNode) throw CometError.badInput(t('errors.noConfig'));
      const emitInitial = config.emitInitial === true || config.emitInitial === 'true';
      const watch = await kind.create({ RED, node, config, configNode, memory, emitInitial, t, own });
      if (signal.aborted) return;
      watched = watch;
      poller = new Poller({ intervalMs, poll: () => poll(watch), onTimerFailure: reportTimerFailure });
      poller.pollNow().catch(reportTimerFailure);
    }

    function reportTimerFailure(err: unknown): void {
      const code = isCometError(err) ? err.code : 'other';
      if (code === reported) return;
      reported = code;
      // A msg, so that a Catch node hears of it.
      node.error(err, { topic: kind.errorTopic(config) } as NodeMessage);
    }

    async function poll(watch: WatchPoll<Outcome>): Promise<void> {
      status.requesting(1);
      try {
        const outcome = await watch.poll(life.request);
        // Closed now: the msgs stay in the outbox, for the node's next start.
        if (signal.aborted) return;
        await sendAll(node, watch, outcome.messages);
        reported = undefined;
        const notice = kind.noticeOf?.(outcome, own);
        if (notice && notice.log !== noticed) node.warn(notice.log);
        if (notice) {
          noticed = notice.log;
          status.noted(notice.status);
        } else status.done(kind.summaryOf(outcome, own));
      } catch (err) {
        if (!signal.aborted) status.failed(err);
        throw err;
      }
    }

    node.on('input', (msg: NodeMessage, _send: unknown, done: (err?: Error) => void) => {
      started
        .then(() => {
          if (setupError) throw setupError;
          if (watched) kind.receive?.(watched, msg, own, node);
          return poller?.pollNow();
        })
        .then(
          () => done(),
          (err: unknown) => done(err instanceof Error ? err : new Error(String(err))),
        );
    });
  }

  RED.nodes.registerType(kind.type, WatchNode as never);
}

/**
 * Sends a poll's msgs, then, once Node-RED has handed them to the next
 * nodes, has the watch take them out of its outbox (the place for anything
 * to do per msg before it goes: every msg has its eventId).
 */
async function sendAll<Outcome>(node: Node, watch: WatchPoll<Outcome>, messages: readonly TriggerMessage[]): Promise<void> {
  if (!messages.length) return;
  for (const msg of messages) node.send(msg as NodeMessage);
  // Node-RED hands a msg on in a setImmediate of its own, queued before this one.
  await new Promise((resolve) => setImmediate(resolve));
  await watch.sent();
}

function intervalMsOf(value: string | number | undefined, minIntervalS: number, own: Translate): number {
  const seconds = numberSetting(value, DEFAULT_INTERVAL_S, { min: minIntervalS });
  if (Number.isNaN(seconds)) throw CometError.badInput(own('errors.interval', { interval: String(value), min: minIntervalS }));
  return seconds * 1000;
}
