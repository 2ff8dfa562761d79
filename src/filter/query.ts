/**
 * A filter asked of Comet: the project's columns (through the caller's
 * cache: the editor lookups' one per config node), the filter compiled
 * against them, then one `project/query` per branch of its `or`s, their
 * keys merged in the order they first appear.
 */
import { buildCall, type Values } from '../catalogue/call';
import { CATALOGUE } from '../catalogue/catalogue';
import type { Ask } from '../catalogue/lookups';
import type { CometClient, SendOptions } from '../client/client';
import { CometError } from '../client/errors';
import type { Translate } from '../client/translate';
import { compileFilter, type Column, type Queries } from './compile';
import type { Expression } from './parse';

const { columns: COLUMNS } = CATALOGUE['comet-get-projects'].operations;
const { query: QUERY } = CATALOGUE['comet-query-project'].operations;

/** The columns of a `project/column-names` answer; anything else is none. */
function columnsOf(answer: unknown): Column[] {
  const list = (answer as { columns?: unknown } | null)?.columns;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (c): c is Column => !!c && typeof c === 'object' && typeof c.name === 'string' && typeof c.type === 'string' && typeof c.source === 'string',
  );
}

export interface FilterContext {
  /** `project/column-names`, through a cache: one request per project a minute, however many msgs ask. */
  readonly ask: Ask;
  readonly t: Translate;
}

/** The project's part of checked values: projectId, or projectName + workspace, and archived. */
function projectValues(values: Values): Values {
  const project: Values = values.projectId !== undefined ? { projectId: values.projectId } : { projectName: values.projectName, workspace: values.workspace };
  if (values.archived !== undefined) project.archived = values.archived;
  return project;
}

/**
 * The queries of a filter (parse.ts: its syntax checked before any request)
 * on the project `values` names: an unknown column fails before any query.
 */
export async function queriesOf(ctx: FilterContext, tree: Expression, values: Values): Promise<Queries> {
  const columns = columnsOf(await ctx.ask(buildCall(COLUMNS, projectValues(values))));
  return compileFilter(tree, columns, ctx.t);
}

/**
 * Sends each query with the project `values` name and returns the answer of
 * the first with `experimentKeys` the union of all, in the order the keys
 * first appear (a filter without `or` is one query, answered as it came).
 */
export async function askQueries(client: CometClient, request: SendOptions, queries: Queries, values: Values, t: Translate): Promise<Record<string, unknown>> {
  const answers = await Promise.all(queries.map((predicates) => client.json(buildCall(QUERY, { ...projectValues(values), predicates }), request)));
  const keys = new Set<string>();
  for (const answer of answers) {
    const list = (answer as { experimentKeys?: unknown } | null)?.experimentKeys;
    if (!Array.isArray(list)) throw CometError.unexpectedAnswer(t('filter.noKeys', { endpoint: QUERY.path }), { endpoint: QUERY.path });
    for (const key of list) if (typeof key === 'string') keys.add(key);
  }
  return { ...(answers[0] as Record<string, unknown>), experimentKeys: [...keys] };
}
