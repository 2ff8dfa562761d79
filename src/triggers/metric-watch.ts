import { buildCall, type Values } from '../catalogue/call';
import { CATALOGUE } from '../catalogue/catalogue';
import { batchesOf } from '../catalogue/chart-batches';
import type { CometClient, RequestOptions } from '../client/client';
import type { Translate } from '../client/translate';
import { eventIdOf, type TriggerMessage } from './event-id';
import { experimentMessage, experimentOfItem, type ProjectRef } from './experiment-events';
import type { MemoryStore } from './memory-store';
import { metricEvent, ruleChanges, type MetricEvent } from './metric-events';
import { cometNumber } from '../text/numbers';
import { metricsOf, type MetricRule, type MetricTrack } from './metric-rules';
import { keptBests, tracksOf, withSummary, type KeptBest } from './metric-tracks';
import { ProjectLookup } from './project-lookup';
import { Remembered, type MemoryForm } from './remembered';

const CHART = CATALOGUE['comet-get-metrics'].operations.chart;
const COLUMNS = CATALOGUE['comet-get-projects'].operations.columns;
const SUMMARY = CATALOGUE['comet-get-metrics'].operations.summary;

export interface MetricWatchOptions {
  readonly client: CometClient;
  readonly project: Values;
  /** Only these experiments, running or not; undefined: the project's running experiments. */
  readonly experimentKeys: readonly string[] | undefined;
  /** The rules; none: the watch asks nothing (until setRules gives some). */
  readonly rules: readonly MetricRule[];
  /** The node has no rules of its own: msgs bring them (setRules). */
  readonly rulesFromMsg: boolean;
  readonly emitInitial: boolean;
  readonly sendResolved: boolean;
  readonly store: MemoryStore;
  /** Reads the watch node's own catalog. */
  readonly t: Translate;
}

export interface MetricPollOutcome {
  readonly events: readonly MetricEvent[];
  /** The msgs to send, each with its eventId: any an earlier run kept and did not send, then one per event. */
  readonly messages: readonly TriggerMessage[];
  readonly first: boolean;
  /** Undefined when the watch has no rules yet (nothing was asked). */
  readonly project: ProjectRef | undefined;
  /** Experiments whose metrics were read. */
  readonly watched: number;
  /** Alerts that hold after this poll. */
  readonly holding: number;
}

/** What the watch keeps of one experiment: the rules that hold (by text) with the step each began at, and the bests its rules read. */
interface ExperimentMemory {
  readonly holding: ReadonlyMap<string, number>;
  readonly bests: readonly KeptBest[];
}

interface MetricMemory {
  readonly experiments: ReadonlyMap<string, ExperimentMemory>;
}

const METRIC_MEMORY: MemoryForm<MetricMemory> = {
  format: 1,
  write: (memory) => ({
    experiments: [...memory.experiments].map(([experimentKey, seen]) => ({ experimentKey, holding: [...seen.holding], bests: seen.bests })),
  }),
  read: (fields) => {
    const stored = fields.experiments as { experimentKey: string; holding: [string, number][]; bests: KeptBest[] }[];
    if (!Array.isArray(stored)) throw new TypeError('no experiments');
    return {
      experiments: new Map(stored.map((seen) => [seen.experimentKey, { holding: new Map(seen.holding), bests: seen.bests.map((best) => ({ ...best })) }])),
    };
  },
};

/** The kind of trigger in the ids of its events. */
const TRIGGER = 'metric-watch';

/** The eventId of an occurrence: its experiment, rule, kind and the step the rule began to hold at, so the same on every process and after a restart. */
function metricEventId(event: MetricEvent, scope: string, onset: number): string {
  return eventIdOf(TRIGGER, scope, [event.event, event.experimentKey, event.rule, onset]);
}

/**
 * The metric watch without Node-RED. Each poll: the project's experiment list
 * (after one lookup of the project), then the chart of the watched
 * experiments' metrics in batches of CHART_BATCH, sampled (at most 500
 * values a metric), so a poll's requests and bytes stay bounded
 * however long the runs. The rules are judged on each experiment; a rule
 * that starts to hold is an alert, one that stops is a resolution. An alert
 * on the best of a sampled series is judged again on the run's metrics
 * summary (one request, only then), so it goes out as Comet's bests have it. What holds
 * is saved before the events are handed out, and a poll that fails changes
 * nothing.
 */
export class MetricWatch {
  private project: ProjectRef | undefined;
  private remembered: Remembered<MetricMemory> | undefined;
  private readonly lookup: ProjectLookup;
  /** The metrics to read: the rules' own, or (stalled alone) the project's, looked up until it has some. */
  private metrics: string[] = [];
  private rules: readonly MetricRule[] = [];

  constructor(readonly options: MetricWatchOptions) {
    this.lookup = new ProjectLookup(options.client, options.project, options.t);
    this.setRules(options.rules);
  }

  /** The rules from the next poll on (a rule that stays keeps what it held). */
  setRules(rules: readonly MetricRule[]): void {
    this.rules = rules;
    this.metrics = metricsOf(rules);
  }

  async poll(request: RequestOptions): Promise<MetricPollOutcome> {
    if (!this.rules.length) return { events: [], messages: [], first: false, project: undefined, watched: 0, holding: 0 };
    this.project ??= await this.lookup.lookUp(request);
    const project = this.project;
    // Kept by project id: the same project named another way shares its memory and its events' ids.
    const scope = JSON.stringify(['metrics', project.projectId]);
    this.remembered ??= new Remembered(this.options.store, scope, METRIC_MEMORY);
    const previous = await this.remembered.recall();
    const detectedAt = new Date().toISOString();
    const given = this.options.experimentKeys && new Set(this.options.experimentKeys);
    const watched = (await this.lookup.experiments(project, request)).flatMap((item) => {
      const seen = experimentOfItem(item);
      if (!seen || !(given ? given.has(seen.experimentKey) : seen.state === 'running')) return [];
      // While a run lives, the list's end time is its last heartbeat.
      const end = cometNumber((item as Record<string, unknown>).endTimeMillis);
      return [{ ...seen, heartbeat: seen.state === 'running' && Number.isFinite(end) ? end : null }];
    });
    if (!this.metrics.length && watched.length) this.metrics = await this.projectMetrics(project, request);
    const tracks = await this.chart(watched.map((seen) => seen.experimentKey), previous, request);

    const report = !!previous || this.options.emitInitial;
    const events: MetricEvent[] = [];
    const messages: TriggerMessage[] = [];
    const experiments = new Map<string, ExperimentMemory>();
    let holdingCount = 0;
    for (const seen of watched) {
      const before = previous?.experiments.get(seen.experimentKey)?.holding;
      let metrics = tracks.get(seen.experimentKey) ?? new Map<string, MetricTrack>();
      const judge = (): ReturnType<typeof ruleChanges> =>
        ruleChanges(this.rules, { running: seen.state === 'running', heartbeat: seen.heartbeat, startTimeMillis: seen.startTimeMillis, metrics }, before, this.options.sendResolved);
      let { holding, changes } = judge();
      // An alert on the best of a sampled series is sent only as Comet's summary has it (one request, when it would go out).
      if (changes.some((c) => c.kind === 'metric-alert' && c.rule.kind === 'noBetter' && metrics.get(c.rule.metric)?.sampled)) {
        metrics = withSummary(metrics, await this.options.client.json(buildCall(SUMMARY, { experimentKey: seen.experimentKey }), request));
        ({ holding, changes } = judge());
      }
      for (const change of report ? changes : []) {
        const event = metricEvent(change, { ...project, ...seen }, metrics, detectedAt);
        events.push(event);
        messages.push(experimentMessage(event, metricEventId(event, scope, change.onset)));
      }
      holdingCount += holding.size;
      experiments.set(seen.experimentKey, { holding, bests: keptBests(metrics, this.rules) });
    }

    if (request.signal.aborted) throw request.signal.reason;
    const outbox = await this.remembered.keep({ experiments }, messages);
    return { events, messages: outbox, first: !previous, project, watched: watched.length, holding: holdingCount };
  }

  /** The msgs of the last poll were handed on. */
  async sent(): Promise<void> {
    await this.remembered?.sent();
  }

  /** The watched experiments' metrics, ⌈keys/CHART_BATCH⌉ chart requests, one after the other. */
  private async chart(keys: readonly string[], previous: MetricMemory | undefined, request: RequestOptions): Promise<Map<string, Map<string, MetricTrack>>> {
    const tracks = new Map<string, Map<string, MetricTrack>>();
    if (!this.metrics.length) return tracks;
    for (const batch of batchesOf(keys)) {
      // Sampled (no fetchFull): at most 500 values of each metric, the latest always among them.
      const call = buildCall(CHART, { experimentKeys: batch, metrics: this.metrics, independentMetrics: true });
      const answer = (await this.options.client.json(call, request)) as { experiments?: unknown } | null;
      const experiments = answer?.experiments;
      if (!experiments || typeof experiments !== 'object' || Array.isArray(experiments)) throw this.lookup.unexpected(call.endpoint, 'experiments');
      for (const [key, entry] of Object.entries(experiments as Record<string, unknown>)) {
        if (!entry || typeof entry !== 'object') continue;
        const record = entry as Record<string, unknown>;
        const experimentKey = typeof record.experimentKey === 'string' ? record.experimentKey : key;
        tracks.set(experimentKey, tracksOf(record, previous?.experiments.get(experimentKey)?.bests ?? []));
      }
    }
    return tracks;
  }

  /** The project's metric names (project/column-names, source metrics), for a stalled rule alone. */
  private async projectMetrics(project: ProjectRef, request: RequestOptions): Promise<string[]> {
    const answer = (await this.options.client.json(buildCall(COLUMNS, { projectId: project.projectId }), request)) as { columns?: unknown } | null;
    const columns = Array.isArray(answer?.columns) ? (answer.columns as Record<string, unknown>[]) : [];
    return [...new Set(columns.filter((c) => c?.source === 'metrics' && typeof c.name === 'string').map((c) => c.name as string))];
  }
}
