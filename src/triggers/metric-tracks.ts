/**
 * The metric watch's reading of a chart answer (experiments/multi-metric-chart):
 * each metric of an experiment as a track, its latest value and its bests;
 * and of a metrics summary, whose bests are exact where a sampled answer's may
 * not be.
 */
import { cometNumber } from '../text/numbers';
import type { MetricRule, MetricTrack } from './metric-rules';

/** Values a metric of a sampled chart answer (fetchFull false) has at most: one that long may miss values between its points. */
const SAMPLED_POINTS = 500;

/**
 * The best finite value of a metric a `noBetter` rule reads, kept from poll
 * to poll: a sampled answer (fetchFull false: at most 500 values a metric)
 * may leave it out once the series is longer.
 */
export interface KeptBest {
  readonly metric: string;
  readonly goal: 'min' | 'max';
  readonly value: number;
  readonly step: number;
}

/** Each metric of one experiment's chart entry as a track, its bests the better of the answer's and `kept`. */
export function tracksOf(entry: Record<string, unknown>, kept: readonly KeptBest[]): Map<string, MetricTrack> {
  const tracks = new Map<string, MetricTrack>();
  for (const metric of Array.isArray(entry.metrics) ? (entry.metrics as Record<string, unknown>[]) : []) {
    const name = metric?.metricName;
    const values = Array.isArray(metric?.values) ? (metric.values as unknown[]) : [];
    if (typeof name !== 'string' || !values.length) continue;
    const steps = Array.isArray(metric.steps) ? (metric.steps as unknown[]) : Array.isArray(entry.steps) ? (entry.steps as unknown[]) : [];
    const times = Array.isArray(metric.timestamps) ? (metric.timestamps as unknown[]) : [];
    const points = values.map((value, i) => ({ step: stepOf(steps[i], i), value: valueOf(value) }));
    let min: { value: number; step: number } | undefined;
    let max: { value: number; step: number } | undefined;
    // Strictly better only: the first step a best was reached at, as Comet's summary gives it.
    for (const point of points) {
      const v = cometNumber(point.value);
      if (!Number.isFinite(v)) continue;
      if (!min || v < min.value) min = { value: v, step: point.step };
      if (!max || v > max.value) max = { value: v, step: point.step };
    }
    // A best kept from an earlier answer is as good or better, and reached first (the series only grows).
    for (const best of kept.filter((k) => k.metric === name)) {
      if (best.goal === 'min' && (!min || best.value <= min.value)) min = { value: best.value, step: best.step };
      if (best.goal === 'max' && (!max || best.value >= max.value)) max = { value: best.value, step: best.step };
    }
    const last = points[points.length - 1];
    const sampled = values.length >= SAMPLED_POINTS;
    tracks.set(name, { value: last.value, step: last.step, at: cometNumber(times[times.length - 1]), points, sampled, ...(min && { min }), ...(max && { max }) });
  }
  return tracks;
}

/** The tracks with the bests of an experiment/metrics/summary answer (valueMin/stepMin, valueMax/stepMax), Comet's own. */
export function withSummary(tracks: ReadonlyMap<string, MetricTrack>, answer: unknown): Map<string, MetricTrack> {
  const exact = new Map(tracks);
  const rows = (answer as { values?: unknown } | null)?.values;
  for (const row of Array.isArray(rows) ? (rows as Record<string, unknown>[]) : []) {
    const track = typeof row?.name === 'string' ? tracks.get(row.name) : undefined;
    if (!track) continue;
    const best = (value: unknown, step: unknown): { value: number; step: number } | undefined =>
      Number.isFinite(cometNumber(value)) && Number.isFinite(cometNumber(step)) ? { value: cometNumber(value), step: cometNumber(step) } : undefined;
    const [min, max] = [best(row.valueMin, row.stepMin), best(row.valueMax, row.stepMax)];
    exact.set(row.name as string, { ...track, ...(min && { min }), ...(max && { max }) });
  }
  return exact;
}

/** The bests the `noBetter` rules read, to keep: a later, sampled answer may leave them out. */
export function keptBests(metrics: ReadonlyMap<string, MetricTrack>, rules: readonly MetricRule[]): KeptBest[] {
  const kept: KeptBest[] = [];
  for (const rule of rules) {
    const best = rule.kind === 'noBetter' ? metrics.get(rule.metric)?.[rule.goal] : undefined;
    if (rule.kind === 'noBetter' && best) kept.push({ metric: rule.metric, goal: rule.goal, ...best });
  }
  return kept;
}

function stepOf(value: unknown, index: number): number {
  const n = cometNumber(value);
  return Number.isFinite(n) ? n : index;
}

/** A value as Comet gave it, unless it is neither a number nor text. */
function valueOf(value: unknown): number | string | null {
  return typeof value === 'number' || typeof value === 'string' ? value : null;
}
