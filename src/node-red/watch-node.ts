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
import type { StatusReporter } from './status';
import { WatchShare } from './watch-share';

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
 *
 * With a config that names a Redis, the same flows may run in several
 * Node-RED processes: the watch then polls only while this process holds
 * its lease, keeps its memory in Redis (written under the lease), and sends
 * a msg only once it has claimed its `eventId` (node-red/watch-share.ts).
 * A process that takes the lease over makes the trigger afresh, so it starts
 * from what the last holder kept. None of this is the kind's business.
 */
export function registerWatchNode<Config extends WatchNodeConfig, Outcome extends WatchOutcome>(RED: NodeAPI, kind: WatchKind<Config, Outcome>): void {
  const t = nodeRedTranslate(RED);
  const own: Translate = (key, vars) => RED._(`${kind.type}.${key}`, vars as Record<string, string | number>);
  const minIntervalS = numberSetting((RED.settings as unknown as Record<string, unknown>).cometWatchMinInterval, MIN_INTERVAL_S, { above: 0, lenient: true });

  function WatchNode(this: Node, config: Config): void {
    RED.nodes.createNode(this, config as never);
    const node = this;
    let poller: Poller | undefined, setupError: unknown, share: WatchShare | undefined;
    /** The trigger, made again each time the lease comes to this process. */
    let watch: WatchPoll<Outcome> | undefined;
    /** The code of the failure and the notice last logged: a lasting outage or notice is logged once, not once a poll. */
    let reported: string | undefined, noticed: string | undefined;
    const life = startLifecycle(node, t);
    const { signal, status } = life;
    const { memory: ownMemory, forget } = watchMemory(RED, node, kind.memoryKey, config.store || undefined);

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
      share = WatchShare.of(configNode, node.id, intervalMs, life, t, () => poller?.pollNow().catch(reportTimerFailure));
      // With a Redis, the memory (and its outbox) is the one every copy of the watch shares.
      const memory = share?.memory ?? ownMemory;
      const emitInitial = config.emitInitial === true || config.emitInitial === 'true';
      const create = (): Promise<WatchPoll<Outcome>> => kind.create({ RED, node, config, configNode, memory, emitInitial, t, own });
      watch = await create();
      if (signal.aborted) return;
      poller = new Poller({ intervalMs, poll: () => poll(create), onTimerFailure: reportTimerFailure });
      if (share) share.start();
      else poller.pollNow().catch(reportTimerFailure);
    }

    function reportTimerFailure(err: unknown): void {
      const code = isCometError(err) ? err.code : 'other';
      if (code === reported) return;
      reported = code;
      // A msg, so that a Catch node hears of it.
      node.error(err, { topic: kind.errorTopic(config) } as NodeMessage);
    }

    async function poll(create: () => Promise<WatchPoll<Outcome>>): Promise<void> {
      if (share && !share.polling) return;
      if (share?.takeFresh()) watch = await create();
      status.requesting(1);
      try {
        const current = watch as WatchPoll<Outcome>;
        const outcome = await current.poll(life.request);
        // Closed now: the msgs stay in the outbox, for the node's next start.
        if (signal.aborted) return;
        await sendAll(node, current, outcome.messages, share);
        reported = undefined;
        noticed = showOutcome(kind, outcome, { node, status, own, noticed });
      } catch (err) {
        if (share?.excuses(err)) return;
        if (!signal.aborted) status.failed(err);
        throw err;
      }
    }

    node.on('input', (msg: NodeMessage, _send: unknown, done: (err?: Error) => void) => {
      const polled = started.then(() => {
        if (setupError) throw setupError;
        if (watch) kind.receive?.(watch, msg, own, node);
        return poller?.pollNow();
      });
      polled.then(() => done(), (err: unknown) => done(err instanceof Error ? err : new Error(String(err))));
    });
  }

  RED.nodes.registerType(kind.type, WatchNode as never);
}

/** Shows a poll's notice (logged when it is new) or its summary; returns the notice last logged. */
function showOutcome<Outcome extends WatchOutcome>(kind: WatchKind<never, Outcome>, outcome: Outcome, at: { node: Node; status: StatusReporter; own: Translate; noticed: string | undefined }): string | undefined {
  const notice = kind.noticeOf?.(outcome, at.own);
  if (!notice) {
    at.status.done(kind.summaryOf(outcome, at.own));
    return at.noticed;
  }
  if (notice.log !== at.noticed) at.node.warn(notice.log);
  at.status.noted(notice.status);
  return notice.log;
}

/**
 * Sends a poll's msgs (with a share, each this process is the first to claim
 * by its eventId), then, once Node-RED has handed them to the next nodes, has
 * the watch take them out of its outbox.
 */
async function sendAll<Outcome>(node: Node, watch: WatchPoll<Outcome>, messages: readonly TriggerMessage[], share: WatchShare | undefined): Promise<void> {
  if (!messages.length) return;
  for (const msg of messages) if (!share || (await share.mustSend(msg))) node.send(msg as NodeMessage);
  // Node-RED hands a msg on in a setImmediate of its own, queued before this one.
  await new Promise((resolve) => setImmediate(resolve));
  await watch.sent();
}

function intervalMsOf(value: string | number | undefined, minIntervalS: number, own: Translate): number {
  const seconds = numberSetting(value, DEFAULT_INTERVAL_S, { min: minIntervalS });
  if (Number.isNaN(seconds)) throw CometError.badInput(own('errors.interval', { interval: String(value), min: minIntervalS }));
  return seconds * 1000;
}
