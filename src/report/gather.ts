/**
 * The requests of one report, and no more: the project (1), its experiments
 * with their names (1), the keys matching the predicates when there are any
 * (1) or the filter (its project's columns, at most once a minute through the
 * lookups' cache, and one query per branch of its `or`s), then the multi-metric chart in batches of CHART_BATCH experiments, which
 * holds every value and parameter (⌈N/CHART_BATCH⌉). Nothing is asked once per
 * experiment, except the summary of one whose chart answer may be cut short
 * (a metric logged FULL_POINTS times or more).
 */
import { buildCall, type Values } from '../catalogue/call';
import { CATALOGUE } from '../catalogue/catalogue';
import { batchesOf } from '../catalogue/chart-batches';
import type { EndpointSpec } from '../catalogue/spec';
import type { Ask } from '../catalogue/lookups';
import type { CometClient, SendOptions } from '../client/client';
import { CometError } from '../client/errors';
import type { Translate } from '../client/translate';
import { parseFilter, type Expression } from '../filter/parse';
import { askQueries, queriesOf } from '../filter/query';
import { applySummary, collectChart, type Collected, type Wanted } from './collect';
import type { ProjectInput, ReportOptions } from './options';
import { keepLinesOfTopRows } from './rows';

/** Chart requests of one report in flight at once: each answer is folded in before the next arrives. */
const CHARTS_IN_FLIGHT = 2;

const { project } = CATALOGUE['comet-get-projects'].operations;
const { experiments, query } = CATALOGUE['comet-query-project'].operations;
const { chart, summary } = CATALOGUE['comet-get-metrics'].operations;
/** The endpoints a report reads, as the catalogue has them. */
const ENDPOINTS = { project, experiments, query, chart, summary } satisfies Record<string, EndpointSpec>;

export interface ProjectRef {
  readonly projectId: string;
  readonly projectName: string;
  readonly workspace: string;
}

export interface ExperimentRef {
  readonly experimentKey: string;
  readonly experimentName: string;
}

export interface Gathered {
  readonly project: ProjectRef;
  /** The experiments the report considered, in the project's order. */
  readonly experiments: readonly ExperimentRef[];
  readonly collected: ReadonlyMap<string, Collected>;
}

interface Context {
  readonly client: CometClient;
  readonly request: SendOptions;
  readonly t: Translate;
  readonly own: Translate;
  readonly ask: Ask;
}

function ask(ctx: Context, endpoint: EndpointSpec, values: Values): Promise<unknown> {
  return ctx.client.json(buildCall(endpoint, values), ctx.request);
}

function unexpected(ctx: Context, endpoint: EndpointSpec, what: string): CometError {
  return CometError.unexpectedAnswer(ctx.own('errors.answerShape', { endpoint: endpoint.path, what }), { endpoint: endpoint.path });
}

async function projectOf(ctx: Context, input: ProjectInput): Promise<ProjectRef> {
  const values = input.projectId !== undefined ? { projectId: input.projectId } : { projectName: input.projectName, workspace: input.workspace };
  const answer = (await ask(ctx, ENDPOINTS.project, values)) as Record<string, unknown> | null;
  // Some servers answer an unknown project with 200 and no project in it.
  if (typeof answer?.projectId !== 'string' || !answer.projectId) {
    const subject = input.projectId !== undefined ? `projectId "${input.projectId}"` : `projectName "${input.projectName}" in workspace "${input.workspace}"`;
    throw CometError.notFound(ctx.t('errors.notFound', { subject, status: 200, endpoint: 'project', config: ctx.client.label, said: '' }), { endpoint: 'project' });
  }
  const text = (value: unknown, fallback: string | undefined): string => (typeof value === 'string' ? value : (fallback ?? ''));
  return { projectId: answer.projectId, projectName: text(answer.projectName, input.projectName), workspace: text(answer.workspaceName, input.workspace) };
}

async function experimentsOf(ctx: Context, project: ProjectRef): Promise<ExperimentRef[]> {
  const answer = (await ask(ctx, ENDPOINTS.experiments, { projectId: project.projectId })) as { experiments?: unknown } | null;
  if (!Array.isArray(answer?.experiments)) throw unexpected(ctx, ENDPOINTS.experiments, 'experiments');
  return (answer.experiments as Record<string, unknown>[])
    .filter((e) => typeof e?.experimentKey === 'string')
    .map((e) => ({ experimentKey: e.experimentKey as string, experimentName: typeof e.experimentName === 'string' ? e.experimentName : '' }));
}

/** The keys matching a filter: one query, or one per branch of its `or`s. */
async function filteredKeys(ctx: Context, project: ProjectRef, filter: Expression): Promise<Set<string>> {
  const values = { projectId: project.projectId };
  const answer = await askQueries(ctx.client, ctx.request, await queriesOf(ctx, filter, values), values, ctx.t);
  return new Set(answer.experimentKeys as string[]);
}

async function matchingKeys(ctx: Context, project: ProjectRef, predicates: readonly unknown[]): Promise<Set<string>> {
  const answer = (await ask(ctx, ENDPOINTS.query, { projectId: project.projectId, predicates })) as { experimentKeys?: unknown } | null;
  if (!Array.isArray(answer?.experimentKeys)) throw unexpected(ctx, ENDPOINTS.query, 'experimentKeys');
  return new Set(answer.experimentKeys as string[]);
}

/** The experiments to report on: the project's, narrowed to the keys given and to those matching the predicates. */
async function consideredOf(ctx: Context, project: ProjectRef, options: ReportOptions, filter: Expression | undefined): Promise<ExperimentRef[]> {
  const predicates = options.predicates?.length ? options.predicates : undefined;
  const keys = filter ? filteredKeys(ctx, project, filter) : predicates ? matchingKeys(ctx, project, predicates) : undefined;
  const [all, matching] = await Promise.all([experimentsOf(ctx, project), keys]);
  let chosen = matching ? all.filter((e) => matching.has(e.experimentKey)) : all;
  if (options.experimentKeys) {
    const byKey = new Map(all.map((e) => [e.experimentKey, e]));
    const missing = options.experimentKeys.filter((key) => !byKey.has(key));
    if (missing.length) {
      const keys = missing.slice(0, 3).join(', ') + (missing.length > 3 ? ', ...' : '');
      throw CometError.notFound(ctx.own('errors.notInProject', { count: missing.length, keys, project: `${project.workspace}/${project.projectName}` }), { endpoint: 'experiments' });
    }
    const given = new Set(options.experimentKeys);
    chosen = chosen.filter((e) => given.has(e.experimentKey));
  }
  return chosen;
}

/** Runs `work` on each item with at most `limit` at once; rejects with the first failure. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Every value of the considered experiments, batch by batch: a chart request,
 * the summary of any experiment in it whose answer may be cut short, and
 * then, for charts, only the lines of the rows that can still make the
 * report are kept (values are final by then, so a row dropped cannot come back).
 */
async function collectValues(ctx: Context, experiments: readonly ExperimentRef[], options: ReportOptions): Promise<Map<string, Collected>> {
  const wanted: Wanted = { metrics: new Set(options.columns.map((c) => c.metric)), params: options.params, series: options.charts };
  const collected = new Map<string, Collected>();
  const chart = {
    metrics: [...wanted.metrics],
    ...(options.params.length ? { params: [...options.params] } : {}),
    // Each metric on its own (not only the steps all share) and every value, not a sample: min and max are exact.
    independentMetrics: true,
    fetchFull: true,
  };
  const keys = experiments.map((e) => e.experimentKey);
  await eachLimited(batchesOf(keys), CHARTS_IN_FLIGHT, async (batch) => {
    collectChart(await ask(ctx, ENDPOINTS.chart, { experimentKeys: batch, ...chart }), wanted, collected, ctx.own);
    const partial = batch.filter((key) => collected.get(key)?.partial);
    await Promise.all(partial.map(async (key) => applySummary(collected.get(key) as Collected, await ask(ctx, ENDPOINTS.summary, { experimentKey: key }), wanted)));
    if (options.charts) keepLinesOfTopRows(experiments, collected, options);
  });
  return collected;
}

/** Asks Comet for everything one report needs. */
export async function gather(ctx: Context, options: ReportOptions): Promise<Gathered> {
  // A filter's syntax is checked before any request.
  const filter = options.filter === undefined ? undefined : parseFilter(options.filter, ctx.t);
  const project = await projectOf(ctx, options.project);
  const experiments = await consideredOf(ctx, project, options, filter);
  const collected = await collectValues(ctx, experiments, options);
  return { project, experiments, collected };
}
