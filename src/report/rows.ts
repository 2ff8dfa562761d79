/**
 * The leaderboard: one row per experiment with its metric and parameter
 * cells, sorted by one metric column (an empty cell last, whatever the
 * order), cut to the limit.
 */
import type { Collected, Series } from './collect';
import type { ExperimentRef, ProjectRef } from './gather';
import type { MetricColumn, ReportOptions } from './options';

/** `{ experimentKey, experimentName, "<metric>:<agg>": Number|null, "<param>": String|null }` */
export type Row = Record<string, string | number | null>;

export interface Report {
  readonly project: ProjectRef;
  /** The columns of every row and table, in order. */
  readonly columns: readonly string[];
  readonly rows: Row[];
  readonly experimentsConsidered: number;
  readonly generatedAt: string;
}

/** One line of a chart: an experiment's values of one metric. */
export interface Line {
  readonly label: string;
  readonly series: Series;
}

/** A parameter's column name when a metric column has the same name. */
function paramColumn(name: string, metricKeys: ReadonlySet<string>): string {
  return metricKeys.has(name) || name === 'experimentKey' || name === 'experimentName' ? `param:${name}` : name;
}

export function columnsOf(options: ReportOptions): string[] {
  const metricKeys = new Set(options.columns.map((c) => c.key));
  return ['experimentName', 'experimentKey', ...metricKeys, ...options.params.map((p) => paramColumn(p, metricKeys))];
}

function rowOf(experiment: ExperimentRef, collected: Collected | undefined, options: ReportOptions, metricKeys: ReadonlySet<string>): Row {
  const cells: [string, string | number | null][] = [
    ['experimentKey', experiment.experimentKey],
    ['experimentName', experiment.experimentName],
  ];
  for (const column of options.columns) {
    const stats = collected?.metrics.get(column.metric);
    cells.push([column.key, stats ? stats[column.aggregate] : null]);
  }
  for (const param of options.params) cells.push([paramColumn(param, metricKeys), collected?.params.get(param) ?? null]);
  // fromEntries: a parameter named __proto__ is a cell like any other.
  return Object.fromEntries(cells);
}

/** Sorts by `column` in `order`; empty cells last either way; ties by name, then key, so a report is stable. */
function compareBy(column: MetricColumn, order: 'asc' | 'desc'): (a: Row, b: Row) => number {
  const sign = order === 'asc' ? 1 : -1;
  return (a, b) => {
    const x = a[column.key] as number | null;
    const y = b[column.key] as number | null;
    if (x !== y) {
      if (x === null) return 1;
      if (y === null) return -1;
      return sign * (x - y);
    }
    const byName = String(a.experimentName).localeCompare(String(b.experimentName));
    return byName || String(a.experimentKey).localeCompare(String(b.experimentKey));
  };
}

export function buildRows(experiments: readonly ExperimentRef[], collected: ReadonlyMap<string, Collected>, options: ReportOptions): Row[] {
  const metricKeys = new Set(options.columns.map((c) => c.key));
  const rows = experiments.map((e) => rowOf(e, collected.get(e.experimentKey), options, metricKeys));
  rows.sort(compareBy(options.sortBy, options.order));
  return options.limit > 0 ? rows.slice(0, options.limit) : rows;
}

/** Drops the chart lines of every experiment outside the rows the report would show now, so memory holds `limit` lines per metric. */
export function keepLinesOfTopRows(experiments: readonly ExperimentRef[], collected: ReadonlyMap<string, Collected>, options: ReportOptions): void {
  if (options.limit === 0) return;
  const shown = new Set(buildRows(experiments, collected, options).map((row) => row.experimentKey));
  for (const [key, figures] of collected) {
    if (shown.has(key)) continue;
    for (const stats of figures.metrics.values()) delete stats.series;
  }
}

/** The chart lines of `metric` for the reported rows, in their order: one per experiment that logged it. */
export function linesOf(metric: string, rows: readonly Row[], collected: ReadonlyMap<string, Collected>): Line[] {
  const lines: Line[] = [];
  for (const row of rows) {
    const series = collected.get(String(row.experimentKey))?.metrics.get(metric)?.series;
    if (series && series.values.length) lines.push({ label: String(row.experimentName || row.experimentKey), series });
  }
  return lines;
}
