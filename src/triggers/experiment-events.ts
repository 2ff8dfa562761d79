/**
 * Training runs as flows see them: the experiment watch compares two answers
 * of a project's experiment list and turns the difference into events.
 */

import { eventIdOf, type TriggerMessage } from './event-id';

/** An experiment's state as Comet's Python SDK tells it: `running`, else `crashed` when `hasCrashed`, else `finished`. */
export type RunState = 'running' | 'finished' | 'crashed';

export type ExperimentEventKind = 'experiment-created' | 'experiment-finished' | 'experiment-crashed' | 'experiment-deleted';

/** The project an event is about. */
export interface ProjectRef {
  readonly workspace: string;
  readonly projectId: string;
  readonly projectName: string;
}

/** One experiment as a list answer shows it (or as the watch remembers it). */
export interface ExperimentSighting {
  readonly experimentKey: string;
  readonly experimentName: string | null;
  /** null where the server gives no `running` field (an older server). */
  readonly state: RunState | null;
  readonly startTimeMillis: number | null;
  /** null while the experiment runs: Comet moves it with every heartbeat, so it is no end yet. */
  readonly endTimeMillis: number | null;
  readonly durationMillis: number | null;
}

/** msg.payload of a change, as the contract shapes it. */
export interface ExperimentEvent extends ProjectRef {
  readonly event: ExperimentEventKind;
  readonly experimentKey: string;
  readonly experimentName: string | null;
  /** The state now; null for a deleted experiment, or on a server that gives none. */
  readonly state: RunState | null;
  /** The state last seen; null for an experiment not seen before. */
  readonly previousState: RunState | null;
  readonly startTimeMillis: number | null;
  readonly endTimeMillis: number | null;
  readonly durationMillis: number | null;
  /** ISO 8601 time the change was seen. */
  readonly detectedAt: string;
}

const END_EVENTS = { finished: 'experiment-finished', crashed: 'experiment-crashed' } as const;

/**
 * The changes of one experiment between two sightings (undefined: not in
 * the list). New: `experiment-created`, followed by its end event when it
 * has already ended. Known: an end event when it ended since (from running,
 * or from the other end state: resumed and ended again); nothing when it
 * runs again (a resumed run: its next end is sent), nor when a state was not
 * known before (an older server). Gone (deleted or archived):
 * `experiment-deleted`.
 */
export function experimentChanges(
  project: ProjectRef,
  before: ExperimentSighting | undefined,
  after: ExperimentSighting | undefined,
  detectedAt: string,
): ExperimentEvent[] {
  const seen = after ?? before;
  if (!seen) return [];
  const previousState = before?.state ?? null;
  const event = (kind: ExperimentEventKind): ExperimentEvent => ({
    event: kind,
    ...project,
    experimentKey: seen.experimentKey,
    experimentName: seen.experimentName,
    state: after ? after.state : null,
    previousState,
    startTimeMillis: seen.startTimeMillis,
    endTimeMillis: seen.endTimeMillis,
    durationMillis: seen.durationMillis,
    detectedAt,
  });
  if (!after) return [event('experiment-deleted')];
  const ended = after.state === 'finished' || after.state === 'crashed' ? END_EVENTS[after.state] : undefined;
  if (!before) return ended ? [event('experiment-created'), event(ended)] : [event('experiment-created')];
  const endedSince = before.state !== null && before.state !== after.state;
  return ended && endedSince ? [event(ended)] : [];
}

/**
 * The id of a change the experiment watch saw (triggers/event-id.ts): the
 * experiment and what happened to it, with the server's times of it: a
 * creation or deletion by the run's start, an end by its end time (a run
 * resumed and ended again ends at another time).
 */
export function experimentEventId(trigger: string, scope: string, event: ExperimentEvent): string {
  const { experimentKey, startTimeMillis, endTimeMillis, state } = event;
  const ended = event.event === 'experiment-finished' || event.event === 'experiment-crashed';
  const change = ended ? [endTimeMillis, state] : [startTimeMillis];
  return eventIdOf(trigger, scope, [event.event, experimentKey, ...change]);
}

/**
 * One change as a msg: the contract's topic and payload, its `eventId`, plus the names the
 * experiment and report nodes read when their fields are blank, so a flow
 * goes straight from the change to the run's metrics or report.
 */
export function experimentMessage(event: ExperimentEvent, eventId: string): TriggerMessage {
  return {
    eventId,
    topic: `${event.projectName}/${event.experimentKey}`,
    payload: event,
    experimentKey: event.experimentKey,
    workspace: event.workspace,
    projectId: event.projectId,
    projectName: event.projectName,
  };
}

/** An item of the `experiments` answer, read as far as it goes; undefined without an experiment key. */
export function experimentOfItem(item: unknown): ExperimentSighting | undefined {
  if (!item || typeof item !== 'object') return undefined;
  const record = item as Record<string, unknown>;
  if (typeof record.experimentKey !== 'string' || !record.experimentKey) return undefined;
  const state = runStateOf(record);
  return {
    experimentKey: record.experimentKey,
    experimentName: typeof record.experimentName === 'string' ? record.experimentName : null,
    state,
    startTimeMillis: millis(record.startTimeMillis),
    endTimeMillis: state === 'running' ? null : millis(record.endTimeMillis),
    durationMillis: millis(record.durationMillis),
  };
}

/** Whether an item says if the experiment runs: older servers' lists have no `running` field. */
export function tellsRunState(item: unknown): boolean {
  return !!item && typeof item === 'object' && typeof (item as Record<string, unknown>).running === 'boolean';
}

/**
 * What the watch keeps of a sighting: all of it but what moves while the
 * experiment may still run (the duration so far), so a running experiment
 * does not rewrite the store at every poll.
 */
export function rememberedForm(seen: ExperimentSighting): ExperimentSighting {
  if (seen.state === 'finished' || seen.state === 'crashed') return seen;
  return { ...seen, endTimeMillis: null, durationMillis: null };
}

function runStateOf(record: Record<string, unknown>): RunState | null {
  if (typeof record.running !== 'boolean') return null;
  if (record.running) return 'running';
  return record.hasCrashed === true ? 'crashed' : 'finished';
}

/** A time or duration as Comet gives it: a number, or a number in text. */
function millis(value: unknown): number | null {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : null;
}
