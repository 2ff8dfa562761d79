/**
 * Metric answers as chart points (the `shape: series` option of the
 * endpoints whose entry has `series`): an array of `{ series, x, y }`, `x`
 * the step and `y` a Number, which a chart node such as FlowFuse Dashboard's
 * ui-chart plots as it is. Points whose value is not a number are left out.
 */
import { finiteNumber } from '../text/numbers';
import type { EndpointSpec, ParamSpec } from './spec';

export interface Point {
  readonly series: string;
  readonly x: number;
  readonly y: number;
}

/**
 * The option that asks for it: `comet` (Comet's answer as it is, the
 * default), `series`, or `new-points`: the series too, but only the points a
 * node has not sent yet (NewPoints), for a live chart.
 */
export const SHAPE: ParamSpec = { name: 'shape', kind: 'enum', values: ['comet', 'series', 'new-points'] };

/**
 * What a node has sent of each series, for the `new-points` shape: the first
 * answer whole, then of each later one only the points past the last step
 * sent of their series (a new series whole). Comet's series only grow, step
 * after step, so a chart fed this way has each point once and no gap.
 */
export class NewPoints {
  private readonly last = new Map<string, number>();
  private started = false;

  /** The points not sent yet; `first`: nothing was sent before, so they are the whole history. */
  take(points: readonly Point[]): { readonly points: Point[]; readonly first: boolean } {
    const first = !this.started;
    this.started = true;
    const fresh = points.filter((point) => !(point.x <= (this.last.get(point.series) ?? Number.NEGATIVE_INFINITY)));
    for (const point of fresh) this.last.set(point.series, Math.max(point.x, this.last.get(point.series) ?? Number.NEGATIVE_INFINITY));
    return { points: fresh, first };
  }
}

type Entry = Record<string, unknown>;

function entries(list: unknown): Entry[] {
  return Array.isArray(list) ? list.filter((item): item is Entry => !!item && typeof item === 'object') : [];
}

/** get-metric: `{ metrics: [{ metricName, metricValue, step }] }`, one series per metric name. */
function metricPoints(answer: Entry): Point[] {
  const points: Point[] = [];
  entries(answer.metrics).forEach((value, i) => {
    const y = finiteNumber(value.metricValue);
    if (y !== undefined) points.push({ series: String(value.metricName ?? ''), x: finiteNumber(value.step) ?? i, y });
  });
  return points;
}

/**
 * multi-metric-chart: `{ experiments: { key: { metrics: [{ metricName, values, steps }] } } }`,
 * one series per experiment and metric, `<name>: <metric>`; the name is the
 * answer's experimentName, else `names[key]`, else the key.
 */
function chartPoints(answer: Entry, names: Readonly<Record<string, unknown>>): Point[] {
  const points: Point[] = [];
  const experiments = answer.experiments && typeof answer.experiments === 'object' ? (answer.experiments as Record<string, unknown>) : {};
  for (const [key, value] of Object.entries(experiments)) {
    if (!value || typeof value !== 'object') continue;
    const experiment = value as Entry;
    const named = [experiment.experimentName, Object.hasOwn(names, key) ? names[key] : undefined].find((n) => typeof n === 'string' && n);
    for (const metric of entries(experiment.metrics)) {
      const series = `${(named as string | undefined) ?? key}: ${String(metric.metricName ?? '')}`;
      const values = Array.isArray(metric.values) ? metric.values : [];
      const steps = Array.isArray(metric.steps) ? metric.steps : Array.isArray(experiment.steps) ? experiment.steps : [];
      for (let i = 0; i < values.length; i++) {
        const y = finiteNumber(values[i]);
        if (y !== undefined) points.push({ series, x: finiteNumber(steps[i]) ?? i, y });
      }
    }
  }
  return points;
}

/** The answer of `endpoint` as points; `names`: experiment names by key (msg.experimentNames), for chart series. */
export function seriesOf(endpoint: EndpointSpec, answer: unknown, names: unknown): Point[] {
  const entry = answer && typeof answer === 'object' ? (answer as Entry) : {};
  if (endpoint.series === 'metric') return metricPoints(entry);
  return chartPoints(entry, names && typeof names === 'object' ? (names as Record<string, unknown>) : {});
}
