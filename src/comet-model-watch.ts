import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { CATALOGUE } from './catalogue/catalogue';
import type { CometClient } from './client/client';
import type { CometConfigNode } from './node-red/config';
import { CometError, isCometError } from './client/errors';
import { nodeRedTranslate } from './node-red/i18n';
import { buildCall } from './catalogue/call';
import { ParamResolver } from './node-red/params';
import { Poller } from './triggers/poller';
import { eventMessage, modelChanges, versionsOfDetails, type RegistryEvent, type VersionSighting, type VersionState } from './triggers/registry-events';
import { StatusReporter } from './node-red/status';
import { memoryFromStore, readContext, storedForm, writeContext, type ModelMemory, type WatchMemory } from './triggers/watch-state';

const TYPE = 'comet-model-watch';
const REGISTRY = CATALOGUE['comet-get-registry-model'].operations;
/** The node context key of what the node has seen. */
const MEMORY_KEY = 'cometModelWatch';
const DEFAULT_INTERVAL_S = 60;
/** Polling faster than this spends Comet's 15,000 requests an hour for little; settings.js may lower it. */
const MIN_INTERVAL_S = 5;
/** Details calls of one poll at a time, so the config node's other users keep their turn. */
const DETAILS_AT_ONCE = 2;

interface WatchConfig extends NodeDef {
  server?: string;
  workspace?: string;
  modelName?: string;
  interval?: string | number;
  emitInitial?: boolean | string;
  store?: string;
}

/** What one poll looks at: a workspace, and one model of it or all. */
interface Target {
  readonly client: CometClient;
  readonly workspace: string;
  readonly modelName: string | undefined;
}

/** A model to read, with the workspace list's summary of it (none when watched alone). */
interface Listed {
  readonly modelName: string;
  readonly fingerprint?: string;
}

export = function register(RED: NodeAPI): void {
  const t = nodeRedTranslate(RED);
  const own = (key: string, vars?: Record<string, string | number>): string => RED._(`${TYPE}.${key}`, vars);
  const minIntervalS = Number((RED.settings as unknown as Record<string, unknown>).cometWatchMinInterval) || MIN_INTERVAL_S;

  function intervalMsOf(value: string | number | undefined): number {
    const seconds = value === undefined || value === '' ? DEFAULT_INTERVAL_S : Number(value);
    if (!Number.isFinite(seconds) || seconds < minIntervalS) {
      throw CometError.badInput(own('errors.interval', { interval: String(value), min: minIntervalS }));
    }
    return seconds * 1000;
  }

  function ModelWatch(this: Node, config: WatchConfig): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const status = new StatusReporter(node, t);
    const closing = new AbortController();
    const emitInitial = config.emitInitial === true || config.emitInitial === 'true';
    const store = config.store || undefined;
    let poller: Poller | undefined;
    let setupError: unknown;
    /** Loaded from the context store by the first poll; replaced only after a poll is saved. */
    let memory: WatchMemory | undefined;
    let memoryLoaded = false;
    /** The code of the failure last logged: a lasting outage logs once, not once a poll. */
    let reported: string | undefined;

    const started = start().catch((err: unknown) => {
      setupError = err;
      status.failed(err);
      node.error(err);
    });

    async function start(): Promise<void> {
      const intervalMs = intervalMsOf(config.interval);
      const configNode = RED.nodes.getNode(config.server ?? '') as CometConfigNode | null;
      if (!configNode) throw CometError.badInput(t('errors.noConfig'));
      const endpoint = config.modelName ? REGISTRY.details : REGISTRY.models;
      const fields = { workspace: config.workspace, modelName: config.modelName };
      const values = await new ParamResolver(RED, node, fields, endpoint, t).resolve({}, configNode.workspace);
      const target: Target = {
        client: configNode.client(),
        workspace: String(values.workspace),
        modelName: values.modelName === undefined ? undefined : String(values.modelName),
      };
      if (closing.signal.aborted) return;
      poller = new Poller({ intervalMs, poll: () => poll(target), onTimerFailure: reportTimerFailure });
      poller.pollNow().catch(reportTimerFailure);
    }

    function reportTimerFailure(err: unknown): void {
      const code = isCometError(err) ? err.code : 'other';
      if (code === reported) return;
      reported = code;
      // A msg, so that a Catch node hears of it.
      node.error(err, { topic: config.modelName || config.workspace || '' } as NodeMessage);
    }

    async function poll(target: Target): Promise<void> {
      const signal = closing.signal;
      status.requesting(1);
      try {
        const scope = JSON.stringify([target.workspace, target.modelName ?? null]);
        if (!memoryLoaded) {
          memory = memoryFromStore(await readContext(node, MEMORY_KEY, store), scope);
          memoryLoaded = true;
        }
        const previous = memory;
        const detectedAt = new Date().toISOString();
        const listed = target.modelName ? [{ modelName: target.modelName }] : await listModels(target, signal);
        const changed = listed.filter((model) => model.fingerprint === undefined || previous?.models.get(model.modelName)?.fingerprint !== model.fingerprint);
        const read = await readDetails(target, changed, signal);

        const models = new Map<string, ModelMemory>();
        const events: RegistryEvent[] = [];
        for (const { modelName, fingerprint } of listed) {
          const before = previous?.models.get(modelName);
          const versions = read.get(modelName);
          if (!versions) {
            if (before) models.set(modelName, before);
            continue;
          }
          models.set(modelName, { ...(fingerprint !== undefined && { fingerprint }), versions: statesOf(versions) });
          if (previous || emitInitial) events.push(...modelChanges(target.workspace, modelName, before?.versions, versions, detectedAt));
        }
        for (const [modelName, before] of previous?.models ?? []) {
          if (!models.has(modelName)) events.push(...modelChanges(target.workspace, modelName, before.versions, undefined, detectedAt));
        }

        const next: WatchMemory = { scope, models };
        if (signal.aborted) throw signal.reason;
        const stored = storedForm(next);
        if (!previous || JSON.stringify(stored) !== JSON.stringify(storedForm(previous))) await writeContext(node, MEMORY_KEY, stored, store);
        memory = next;
        if (signal.aborted) return;
        for (const event of events) node.send(eventMessage(event) as NodeMessage);
        reported = undefined;
        status.done(summary(previous, next, events));
      } catch (err) {
        if (!signal.aborted) status.failed(err);
        throw err;
      }
    }

    /** The workspace's models with a summary that changes whenever the model does. */
    async function listModels({ client, workspace }: Target, signal: AbortSignal): Promise<Listed[]> {
      const call = buildCall(REGISTRY.models, { workspace });
      const answer = await client.json(call, { signal });
      const items = (answer as { registryModels?: unknown } | null)?.registryModels;
      if (!Array.isArray(items)) throw unexpected(call.endpoint, 'registryModels');
      return items
        .filter((item): item is Record<string, unknown> => !!item && typeof item === 'object' && typeof item.modelName === 'string')
        .map((item) => {
          const latest = (item.latestVersion ?? {}) as Record<string, unknown>;
          const fingerprint = JSON.stringify([item.lastUpdated, latest.version, latest.lastUpdated, latest.stages, latest.status]);
          return { modelName: item.modelName as string, fingerprint };
        });
    }

    /** Each model's versions, a few calls at a time; the first failure stops the rest and fails the poll. */
    async function readDetails({ client, workspace }: Target, models: readonly Listed[], closed: AbortSignal): Promise<Map<string, Map<string, VersionSighting>>> {
      const failed = new AbortController();
      const signal = AbortSignal.any([closed, failed.signal]);
      const read = new Map<string, Map<string, VersionSighting>>();
      // Workers sharing one iterator: each takes the next model when its call ends.
      const next = models[Symbol.iterator]();
      const worker = async (): Promise<void> => {
        for (const { modelName } of next) {
          const call = buildCall(REGISTRY.details, { workspace, modelName });
          const versions = versionsOfDetails(await client.json(call, { signal }));
          if (!versions) throw unexpected(call.endpoint, 'versions');
          read.set(modelName, versions);
        }
      };
      try {
        await Promise.all(Array.from({ length: Math.min(DETAILS_AT_ONCE, models.length) }, worker));
      } catch (err) {
        failed.abort(err);
        throw err;
      }
      return read;
    }

    function unexpected(endpoint: string, field: string): CometError {
      return CometError.unexpectedAnswer(own('errors.unexpected', { endpoint, field }), { endpoint });
    }

    function summary(previous: WatchMemory | undefined, next: WatchMemory, events: readonly RegistryEvent[]): string {
      const time = new Date().toLocaleTimeString();
      if (events.length) return own('status.changes', { count: events.length, time });
      if (previous) return own('status.unchanged', { time });
      const versions = [...next.models.values()].reduce((sum, model) => sum + model.versions.size, 0);
      return own('status.watching', { versions, models: next.models.size });
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

    node.on('close', (_removed: boolean, done: () => void) => {
      closing.abort(CometError.aborted(t('status.cancelled')));
      status.stop();
      started.then(() => poller?.stop()).then(() => done(), () => done());
    });
  }

  RED.nodes.registerType(TYPE, ModelWatch as never);
};

function statesOf(versions: ReadonlyMap<string, VersionSighting>): Map<string, VersionState> {
  return new Map([...versions].map(([version, seen]) => [version, seen.state]));
}
