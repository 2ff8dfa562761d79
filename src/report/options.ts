/**
 * What a report is asked for, read from the checked inputs (inputs.ts): the
 * metric columns as `name[:min|max|last]`, the parameter columns, the sort
 * column, order, limit, format and charts. Everything here is checked before
 * any request, so a typo fails the msg with a sentence saying what is wrong.
 */
import type { Values } from '../catalogue/call';
import { CometError } from '../client/errors';
import type { Translate } from '../client/translate';

export const AGGREGATES = ['min', 'max', 'last'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

export const FORMATS = ['markdown', 'html', 'email', 'csv', 'rows'] as const;
export type Format = (typeof FORMATS)[number];

/** One metric column: `loss:min` is the metric `loss`, aggregate `min`. */
export interface MetricColumn {
  readonly metric: string;
  readonly aggregate: Aggregate;
  /** `<metric>:<aggregate>`: the column's name in rows, CSV and tables. */
  readonly key: string;
}

export interface ProjectInput {
  readonly projectId?: string;
  readonly projectName?: string;
  readonly workspace?: string;
}

export interface ReportOptions {
  readonly project: ProjectInput;
  readonly predicates?: readonly unknown[];
  /** A filter in the words of the SDK's queries (src/filter/), instead of predicates. */
  readonly filter?: string;
  readonly experimentKeys?: readonly string[];
  readonly columns: readonly MetricColumn[];
  readonly params: readonly string[];
  readonly sortBy: MetricColumn;
  readonly order: 'asc' | 'desc';
  /** Rows kept; 0 keeps all. */
  readonly limit: number;
  readonly format: Format;
  readonly charts: boolean;
}

export const DEFAULT_LIMIT = 10;

function badInput(own: Translate, key: string, vars: Record<string, unknown>): CometError {
  return CometError.badInput(own(`errors.${key}`, vars), { endpoint: 'comet-report' });
}

/**
 * `name`, `name:min`, `name:max` or `name:last` (`name` alone is `name:last`).
 * The aggregate is what follows the last colon, so a metric whose name has a
 * colon is written with its aggregate: `train:loss:last`.
 */
export function parseMetricColumn(spec: string, own: Translate): MetricColumn {
  const text = spec.trim();
  const colon = text.lastIndexOf(':');
  const metric = colon < 0 ? text : text.slice(0, colon).trim();
  const aggregate = colon < 0 ? 'last' : text.slice(colon + 1).trim();
  if (!metric) throw badInput(own, 'metricName', { spec });
  if (!(AGGREGATES as readonly string[]).includes(aggregate)) {
    throw badInput(own, 'aggregate', { spec, aggregate, aggregates: AGGREGATES.join(', ') });
  }
  return { metric, aggregate: aggregate as Aggregate, key: `${metric}:${aggregate}` };
}

/** The metric columns in the order given, each once. */
export function parseMetricColumns(specs: readonly string[], own: Translate): MetricColumn[] {
  const columns = new Map<string, MetricColumn>();
  for (const spec of specs) {
    const column = parseMetricColumn(spec, own);
    if (!columns.has(column.key)) columns.set(column.key, column);
  }
  return [...columns.values()];
}

/** The column `sortBy` names (as a metric column is written), or the first when blank. */
export function sortColumnOf(sortBy: string | undefined, columns: readonly MetricColumn[], own: Translate): MetricColumn {
  if (sortBy === undefined || !sortBy.trim()) return columns[0];
  const fail = (): never => {
    throw badInput(own, 'sortBy', { sortBy, columns: columns.map((c) => c.key).join(', ') });
  };
  let wanted: MetricColumn;
  try {
    wanted = parseMetricColumn(sortBy, own);
  } catch {
    return fail();
  }
  return columns.find((c) => c.key === wanted.key) ?? fail();
}

/** The names of a list, each once, in the order given. */
function unique(list: unknown): string[] {
  return Array.isArray(list) ? [...new Set(list as string[])] : [];
}

/** The report's options from the checked values (the inputs' kinds already hold). */
export function reportOptions(values: Values, own: Translate): ReportOptions {
  const columns = parseMetricColumns(values.metrics as string[], own);
  return {
    project: { projectId: values.projectId as string | undefined, projectName: values.projectName as string | undefined, workspace: values.workspace as string | undefined },
    predicates: values.predicates as unknown[] | undefined,
    filter: values.filter as string | undefined,
    experimentKeys: values.experimentKeys === undefined ? undefined : unique(values.experimentKeys),
    columns,
    params: unique(values.params),
    sortBy: sortColumnOf(values.sortBy as string | undefined, columns, own),
    order: values.order === 'asc' ? 'asc' : 'desc',
    limit: (values.limit as number | undefined) ?? DEFAULT_LIMIT,
    format: (values.format as Format | undefined) ?? 'markdown',
    charts: values.charts === true,
  };
}
