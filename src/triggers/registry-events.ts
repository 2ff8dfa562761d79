/**
 * Model registry changes as flows see them, whichever way they were learnt:
 * the watch node diffs two snapshots of registry-model/details, the webhook
 * node reads Comet's POST. Both send the same event shape, so one flow can
 * take either.
 */

import { eventIdOf, type TriggerMessage } from './event-id';

export type RegistryEventKind = 'version-created' | 'version-deleted' | 'stage-added' | 'stage-removed' | 'status-changed';

/** What is known of one version at one moment. */
export interface VersionState {
  readonly stages: readonly string[];
  /** Newer servers' one status per version; undefined where the server sends none. */
  readonly status?: string;
  /** The server's own id of this version (registryModelItemId and createdAt): a version deleted and made again gets another. */
  readonly item?: string;
  /** The server's time of the version's last change (lastUpdated): what tells a stage added again from the first time. */
  readonly updated?: string;
}

/** Which version an event is about. */
export interface VersionRef {
  readonly workspace: string;
  readonly modelName: string;
  readonly version: string;
}

/** msg.payload of a change, as the contract shapes it. */
export interface RegistryEvent extends VersionRef {
  readonly event: RegistryEventKind;
  /** The stage added or removed; null for other events. */
  readonly stage: string | null;
  readonly stages: string[];
  readonly previousStages: string[];
  readonly status: string | null;
  readonly previousStatus: string | null;
  /** The version as registry-model/details gives it (assets included); null when not at hand. */
  readonly versionDetails: unknown;
  /** ISO 8601 time the change was seen. */
  readonly detectedAt: string;
}

/**
 * One change as a msg: the contract's topic and payload, its `eventId`,
 * plus the names a download model node reads when its fields are blank, so a
 * flow can go straight from the change to the download.
 */
export function eventMessage(event: RegistryEvent, eventId: string): TriggerMessage {
  return {
    eventId,
    topic: `${event.modelName}/${event.version}`,
    payload: event,
    workspace: event.workspace,
    modelName: event.modelName,
    version: event.version,
  };
}

/**
 * The id of a change the model watch saw (triggers/event-id.ts): the version
 * and what changed, with the server's stamps of it: a created or deleted
 * version by its own id, a stage or status change by the version's time of
 * change and the states before and after. `version` is the version's state
 * after the change, or before a deletion.
 */
export function registryEventId(trigger: string, scope: string, event: RegistryEvent, version: VersionState | undefined): string {
  const { workspace, modelName, version: name } = event;
  const item = version?.item ?? null;
  const change =
    event.event === 'version-created' || event.event === 'version-deleted'
      ? [item]
      : [item, version?.updated ?? null, event.stage, event.previousStages, event.stages, event.previousStatus, event.status];
  return eventIdOf(trigger, scope, [event.event, workspace, modelName, name, ...change]);
}

/** A version as one details answer lists it. */
export interface VersionSighting {
  readonly state: VersionState;
  readonly details: Record<string, unknown>;
}

/**
 * The changes of one version between two sightings (undefined: not there),
 * in a fixed order: created or deleted, stages removed, stages added, status.
 */
export function versionChanges(
  ref: VersionRef,
  before: VersionState | undefined,
  after: VersionState | undefined,
  versionDetails: unknown,
  detectedAt: string,
): RegistryEvent[] {
  if (!before && !after) return [];
  const previousStages = [...(before?.stages ?? [])];
  const stages = [...(after?.stages ?? [])];
  const previousStatus = before?.status ?? null;
  const status = after?.status ?? null;
  const event = (kind: RegistryEventKind, stage: string | null = null): RegistryEvent => ({
    event: kind,
    workspace: ref.workspace,
    modelName: ref.modelName,
    version: ref.version,
    stage,
    stages,
    previousStages,
    status,
    previousStatus,
    versionDetails: after ? versionDetails : null,
    detectedAt,
  });
  if (!before) return [event('version-created')];
  if (!after) return [event('version-deleted')];
  const removed = previousStages.filter((stage) => !stages.includes(stage)).map((stage) => event('stage-removed', stage));
  const added = stages.filter((stage) => !previousStages.includes(stage)).map((stage) => event('stage-added', stage));
  const changes = [...removed, ...added];
  if (previousStatus !== status) changes.push(event('status-changed'));
  return changes;
}

/**
 * The changes of one model between the versions seen before (undefined: the
 * model is new) and the versions of a details answer (undefined: the model is
 * gone). Versions in the server's order; deleted ones last.
 */
export function modelChanges(
  workspace: string,
  modelName: string,
  before: ReadonlyMap<string, VersionState> | undefined,
  after: ReadonlyMap<string, VersionSighting> | undefined,
  detectedAt: string,
): RegistryEvent[] {
  const changes: RegistryEvent[] = [];
  for (const [version, seen] of after ?? []) {
    const ref = { workspace, modelName, version };
    const previous = before ? before.get(version) : undefined;
    changes.push(...versionChanges(ref, previous, seen.state, seen.details, detectedAt));
  }
  for (const [version, state] of before ?? []) {
    if (!after?.has(version)) changes.push(...versionChanges({ workspace, modelName, version }, state, undefined, null, detectedAt));
  }
  return changes;
}

/**
 * The versions of a registry-model/details answer, by version string.
 * Undefined when the answer has no `versions` list (not a details answer).
 */
export function versionsOfDetails(details: unknown): Map<string, VersionSighting> | undefined {
  const versions = (details as { versions?: unknown } | null)?.versions;
  if (!Array.isArray(versions)) return undefined;
  const found = new Map<string, VersionSighting>();
  for (const item of versions) {
    if (!isRecord(item) || typeof item.version !== 'string') continue;
    found.set(item.version, { state: versionStateOf(item), details: item });
  }
  return found;
}

/** Stages (text, each once, in the server's order), status and stamps (where sent) of a version record. */
function versionStateOf(record: Record<string, unknown>): VersionState {
  const stages = stageList(record.stages) ?? [];
  const ids = [text(record.registryModelItemId), stamp(record.createdAt)].filter((part) => part !== undefined);
  const item = ids.length ? ids.join('@') : undefined;
  const updated = stamp(record.lastUpdated);
  return {
    stages,
    ...(typeof record.status === 'string' && { status: record.status }),
    ...(item !== undefined && { item }),
    ...(updated !== undefined && { updated }),
  };
}

/** A server time as text, whether it came as a number or as text. */
function stamp(value: unknown): string | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : text(value);
}

/** Comet's webhook triggers (and older servers' wording), by what changed. */
type WebhookChange = 'created' | 'deleted' | 'stages' | 'status';

/** A webhook body read as far as it goes: which version, what it says changed, what it is now. */
export interface WebhookSighting {
  readonly ref: VersionRef;
  readonly change: WebhookChange;
  /** The version as the body describes it now. */
  readonly current: VersionState;
  /** What the body says it was before, where it says. */
  readonly previous: Partial<VersionState>;
}

/** Where a body may name its trigger: Comet documents the trigger names, not the field. */
const TRIGGER_FIELDS = ['trigger', 'triggerType', 'eventType', 'event'] as const;

/**
 * Reads a webhook body: `workspaceName`, `registryModelName` (or
 * `modelName`), `version`, `stages`, `status`, and a trigger such as
 * MODEL_VERSION_CREATED where there is one. A body without a trigger but with
 * `stages` is the stage-change webhook of older servers. Undefined for a
 * shape it does not know.
 */
export function readWebhook(body: unknown): WebhookSighting | undefined {
  if (!isRecord(body)) return undefined;
  const modelName = text(body.registryModelName) ?? text(body.modelName);
  const version = text(body.version);
  if (!modelName || !version) return undefined;
  const trigger = TRIGGER_FIELDS.map((field) => text(body[field])).find((value) => value !== undefined);
  const change = trigger === undefined ? (Array.isArray(body.stages) ? 'stages' : undefined) : changeOfTrigger(trigger);
  if (!change) return undefined;
  const previousStages = stageList(body.previousStages);
  const previousStatus = text(body.previousStatus);
  return {
    ref: { workspace: text(body.workspaceName) ?? text(body.workspace) ?? '', modelName, version },
    change,
    current: versionStateOf(body),
    previous: { ...(previousStages && { stages: previousStages }), ...(previousStatus !== undefined && { status: previousStatus }) },
  };
}

function changeOfTrigger(trigger: string): WebhookChange | undefined {
  const name = trigger.toUpperCase();
  if (name.includes('CREATED')) return 'created';
  if (name.includes('DELETED')) return 'deleted';
  if (name.includes('STATUS')) return 'status';
  if (name.includes('STAGE') || name.includes('TAG')) return 'stages';
  return undefined;
}

/**
 * The events of a webhook sighting. What the version was before comes from
 * the body, else from `remembered` (the last delivery about it), else: for
 * what the trigger says changed, nothing; for the rest, what it is now (so a
 * stage webhook does not also claim a status change).
 */
export function webhookChanges(sighting: WebhookSighting, remembered: VersionState | undefined, detectedAt: string): RegistryEvent[] {
  const { ref, change, current } = sighting;
  if (change === 'created') return versionChanges(ref, undefined, current, null, detectedAt);
  if (change === 'deleted') return versionChanges(ref, remembered ?? current, undefined, null, detectedAt);
  const before: VersionState = {
    stages: sighting.previous.stages ?? remembered?.stages ?? (change === 'stages' ? [] : current.stages),
    status: sighting.previous.status ?? remembered?.status ?? (change === 'status' ? undefined : current.status),
  };
  return versionChanges(ref, before, current, null, detectedAt);
}

function stageList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return [...new Set(value.filter((stage): stage is string => typeof stage === 'string'))];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
