/**
 * What a report keeps of Comet's answers: per experiment, each metric's min,
 * max and last value (as experiment/metrics/summary gives them) and, for
 * charts, a line of at most SERIES_POINTS points; the parameters as text.
 * Answers are folded in as they arrive and then dropped, so memory holds the
 * figures, not the answers.
 */
import { CometError } from '../client/errors';
import type { Translate } from '../client/translate';
import { finiteNumber } from '../text/numbers';

/** The most values the chart endpoint gives per metric with fetchFull (read-endpoints.txt): more may have been cut. */
export const FULL_POINTS = 15_000;
/** Points kept per line for a chart: more than a chart's width in pixels. */
export const SERIES_POINTS = 500;

export interface Series {
  readonly steps: Float64Array;
  readonly values: Float64Array;
}

export interface MetricStats {
  min: number;
  max: number;
  last: number;
  series?: Series;
}

export interface Collected {
  readonly metrics: Map<string, MetricStats>;
  readonly params: Map<string, string>;
  /** A metric came with FULL_POINTS values: the answer may not hold them all, so the summary is asked. */
  partial: boolean;
}

export interface Wanted {
  readonly metrics: ReadonlySet<string>;
  readonly params: readonly string[];
  readonly series: boolean;
}

type Entry = Record<string, unknown>;

function collectedFor(into: Map<string, Collected>, key: string): Collected {
  let found = into.get(key);
  if (!found) {
    found = { metrics: new Map(), params: new Map(), partial: false };
    into.set(key, found);
  }
  return found;
}

/** Every `step`-th point of the numeric ones, the first and the last always among them. */
export function sampled(steps: number[], values: number[]): Series {
  const n = values.length;
  const keep = Math.min(n, SERIES_POINTS);
  const series = { steps: new Float64Array(keep), values: new Float64Array(keep) };
  for (let i = 0; i < keep; i++) {
    const at = keep === 1 ? n - 1 : Math.round((i * (n - 1)) / (keep - 1));
    series.steps[i] = steps[at];
    series.values[i] = values[at];
  }
  return series;
}

/** min, max, last (and the line) of one metric of a chart answer; undefined when it has no numeric value. */
function statsOf(metric: Entry, fallbackSteps: unknown, series: boolean): MetricStats | undefined {
  const values = Array.isArray(metric.values) ? metric.values : [];
  const stepList = Array.isArray(metric.steps) ? metric.steps : Array.isArray(fallbackSteps) ? fallbackSteps : [];
  const xs: number[] = [];
  const ys: number[] = [];
  let stats: MetricStats | undefined;
  for (let i = 0; i < values.length; i++) {
    const y = finiteNumber(values[i]);
    if (y === undefined) continue;
    if (!stats) stats = { min: y, max: y, last: y };
    else {
      if (y < stats.min) stats.min = y;
      if (y > stats.max) stats.max = y;
      stats.last = y;
    }
    if (series) {
      xs.push(finiteNumber(stepList[i]) ?? i);
      ys.push(y);
    }
  }
  if (stats && series) stats.series = sampled(xs, ys);
  return stats;
}

/** Folds one experiments/multi-metric-chart answer into `into`, by experiment key. */
export function collectChart(answer: unknown, wanted: Wanted, into: Map<string, Collected>, own: Translate): void {
  const experiments = (answer as Entry | null)?.experiments;
  if (!experiments || typeof experiments !== 'object' || Array.isArray(experiments)) {
    throw CometError.unexpectedAnswer(own('errors.chartShape'), { endpoint: 'experiments/multi-metric-chart' });
  }
  for (const [key, value] of Object.entries(experiments as Record<string, unknown>)) {
    if (!value || typeof value !== 'object') continue;
    const entry = value as Entry;
    const collected = collectedFor(into, typeof entry.experimentKey === 'string' ? entry.experimentKey : key);
    for (const metric of Array.isArray(entry.metrics) ? (entry.metrics as Entry[]) : []) {
      const name = metric?.metricName;
      if (typeof name !== 'string' || !wanted.metrics.has(name)) continue;
      if (Array.isArray(metric.values) && metric.values.length >= FULL_POINTS) collected.partial = true;
      const stats = statsOf(metric, entry.steps, wanted.series);
      if (stats) collected.metrics.set(name, stats);
    }
    const params = entry.params && typeof entry.params === 'object' ? (entry.params as Entry) : {};
    for (const name of wanted.params) {
      const param = Object.hasOwn(params, name) ? params[name] : undefined;
      if (param !== undefined && param !== null) collected.params.set(name, typeof param === 'string' ? param : JSON.stringify(param));
    }
  }
}

/**
 * Replaces min, max and last of the wanted metrics by an
 * experiment/metrics/summary answer's (valueMin, valueMax, valueCurrent),
 * keeping the chart's line.
 */
export function applySummary(collected: Collected, answer: unknown, wanted: Wanted): void {
  const rows = (answer as Entry | null)?.values;
  for (const row of Array.isArray(rows) ? (rows as Entry[]) : []) {
    if (typeof row?.name !== 'string' || !wanted.metrics.has(row.name)) continue;
    const [min, max, last] = [finiteNumber(row.valueMin), finiteNumber(row.valueMax), finiteNumber(row.valueCurrent)];
    if (min === undefined || max === undefined || last === undefined) continue;
    const series = collected.metrics.get(row.name)?.series;
    collected.metrics.set(row.name, { min, max, last, ...(series ? { series } : {}) });
  }
}
