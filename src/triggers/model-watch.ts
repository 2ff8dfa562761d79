import { buildCall } from '../catalogue/call';
import { CATALOGUE } from '../catalogue/catalogue';
import type { CometClient, RequestOptions } from '../client/client';
import { CometError } from '../client/errors';
import type { Translate } from '../client/translate';
import type { TriggerMessage } from './event-id';
import { eventMessage, modelChanges, registryEventId, versionsOfDetails, type RegistryEvent, type VersionSighting, type VersionState } from './registry-events';
import type { MemoryStore } from './memory-store';
import { Remembered } from './remembered';
import { MODEL_MEMORY, type ModelMemory, type WatchMemory } from './watch-state';

const REGISTRY = CATALOGUE['comet-get-registry-model'].operations;
/** Details calls of one poll at a time, so the config node's other users keep their turn. */
const DETAILS_AT_ONCE = 2;

export interface ModelWatchOptions {
  readonly client: CometClient;
  readonly workspace: string;
  /** One model, or undefined for every model of the workspace. */
  readonly modelName: string | undefined;
  /** Report the present state as changes at the first poll, when nothing is remembered. */
  readonly emitInitial: boolean;
  readonly store: MemoryStore;
  /** Reads the watch node's own catalog. */
  readonly t: Translate;
}

/** The kind of trigger in the ids of its changes. */
const TRIGGER = 'model-watch';

/** What one poll found, after it was saved. */
export interface PollOutcome {
  readonly events: readonly RegistryEvent[];
  /** The msgs to send, each with its eventId: any an earlier run kept and did not send, then one per event. */
  readonly messages: readonly TriggerMessage[];
  /** Nothing was remembered before this poll. */
  readonly first: boolean;
  readonly models: number;
  readonly versions: number;
}

/** A model to read, with the workspace list's summary of it (none when watched alone). */
interface Listed {
  readonly modelName: string;
  readonly fingerprint?: string;
}

/**
 * The registry watch without Node-RED: each poll lists the workspace's
 * models (or reads the one watched), reads the details of those whose
 * summary changed, and turns the difference with what it remembers into
 * events. What it remembers is saved with the events' msgs before they are
 * handed out (triggers/remembered.ts), and a poll that fails changes nothing.
 */
export class ModelWatch {
  private readonly remembered: Remembered<WatchMemory>;
  /** What this watch watches: its memory and the ids of its changes are kept by it. */
  private readonly scope: string;

  constructor(private readonly options: ModelWatchOptions) {
    this.scope = JSON.stringify([options.workspace, options.modelName ?? null]);
    this.remembered = new Remembered(options.store, this.scope, MODEL_MEMORY);
  }

  async poll(request: RequestOptions): Promise<PollOutcome> {
    const { workspace, modelName, emitInitial } = this.options;
    const { signal } = request;
    const previous = await this.remembered.recall();
    const detectedAt = new Date().toISOString();
    const listed = modelName ? [{ modelName }] : await this.listModels(request);
    const changed = listed.filter((model) => model.fingerprint === undefined || previous?.models.get(model.modelName)?.fingerprint !== model.fingerprint);
    const read = await this.readDetails(changed, request);

    const models = new Map<string, ModelMemory>();
    const events: RegistryEvent[] = [];
    for (const { modelName: name, fingerprint } of listed) {
      const before = previous?.models.get(name);
      const versions = read.get(name);
      if (!versions) {
        if (before) models.set(name, before);
        continue;
      }
      models.set(name, { ...(fingerprint !== undefined && { fingerprint }), versions: statesOf(versions) });
      if (previous || emitInitial) events.push(...modelChanges(workspace, name, before?.versions, versions, detectedAt));
    }
    for (const [name, before] of previous?.models ?? []) {
      if (!models.has(name)) events.push(...modelChanges(workspace, name, before.versions, undefined, detectedAt));
    }

    if (signal.aborted) throw signal.reason;
    const found = events.map((event) => eventMessage(event, registryEventId(TRIGGER, this.scope, event, versionOf(event, models, previous))));
    const messages = await this.remembered.keep({ models }, found);
    const versionCount = [...models.values()].reduce((sum, model) => sum + model.versions.size, 0);
    return { events, messages, first: !previous, models: models.size, versions: versionCount };
  }

  /** The msgs of the last poll were handed on. */
  sent(): Promise<void> {
    return this.remembered.sent();
  }

  /** The workspace's models with a summary that changes whenever the model does. */
  private async listModels(request: RequestOptions): Promise<Listed[]> {
    const call = buildCall(REGISTRY.models, { workspace: this.options.workspace });
    const answer = await this.options.client.json(call, request);
    const items = (answer as { registryModels?: unknown } | null)?.registryModels;
    if (!Array.isArray(items)) throw this.unexpected(call.endpoint, 'registryModels');
    return items
      .filter((item): item is Record<string, unknown> => !!item && typeof item === 'object' && typeof item.modelName === 'string')
      .map((item) => {
        const latest = (item.latestVersion ?? {}) as Record<string, unknown>;
        const fingerprint = JSON.stringify([item.lastUpdated, latest.version, latest.lastUpdated, latest.stages, latest.status]);
        return { modelName: item.modelName as string, fingerprint };
      });
  }

  /** Each model's versions, a few calls at a time; the first failure stops the rest and fails the poll. */
  private async readDetails(models: readonly Listed[], request: RequestOptions): Promise<Map<string, Map<string, VersionSighting>>> {
    const { client, workspace } = this.options;
    const failed = new AbortController();
    const each = { ...request, signal: AbortSignal.any([request.signal, failed.signal]) };
    const read = new Map<string, Map<string, VersionSighting>>();
    // Workers sharing one iterator: each takes the next model when its call ends.
    const next = models[Symbol.iterator]();
    const worker = async (): Promise<void> => {
      for (const { modelName } of next) {
        const call = buildCall(REGISTRY.details, { workspace, modelName });
        const versions = versionsOfDetails(await client.json(call, each));
        if (!versions) throw this.unexpected(call.endpoint, 'versions');
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

  private unexpected(endpoint: string, field: string): CometError {
    return CometError.unexpectedAnswer(this.options.t('errors.unexpected', { endpoint, field }), { endpoint });
  }
}

/** The version an event is about: as it is now, or, deleted, as it was last seen. */
function versionOf(event: RegistryEvent, now: WatchMemory['models'], before: WatchMemory | undefined): VersionState | undefined {
  const from = event.event === 'version-deleted' ? before?.models : now;
  return from?.get(event.modelName)?.versions.get(event.version);
}

function statesOf(versions: ReadonlyMap<string, VersionSighting>): Map<string, VersionState> {
  return new Map([...versions].map(([version, seen]) => [version, seen.state]));
}
