/**
 * comet-report's inputs, in the catalogue's terms, so they are read (node
 * field, else msg) and checked exactly as every endpoint parameter is.
 * Not an endpoint: the report calls several (gather.ts).
 */
import { CATALOGUE } from '../catalogue/catalogue';
import type { ParamSet } from '../catalogue/spec';
import { FORMATS } from './options';

const QUERY = CATALOGUE['comet-query-project'].operations.query;

export const REPORT_INPUTS = {
  path: 'comet-report',
  params: [
    // projectId, projectName, workspace: as query project has them.
    ...QUERY.params.filter((p) => ['projectId', 'projectName', 'workspace'].includes(p.name)),
    { name: 'filter', kind: 'filter' },
    { name: 'predicates', kind: 'jsonArray' },
    // Blank: msg.experimentKeys, then a query project node's answer. Empty: a query that matched nothing.
    { name: 'experimentKeys', kind: 'stringList', alsoFrom: 'payload.experimentKeys', emptyAllowed: true },
    { name: 'metrics', kind: 'stringList', required: true },
    { name: 'params', kind: 'stringList' },
    { name: 'sortBy', kind: 'string' },
    { name: 'order', kind: 'enum', values: ['desc', 'asc'] },
    { name: 'limit', kind: 'integer' },
    { name: 'format', kind: 'enum', values: FORMATS },
    { name: 'charts', kind: 'boolean' },
  ],
  oneOf: QUERY.oneOf,
  exclusive: ['filter', 'predicates'],
} as const satisfies ParamSet;
