/**
 * The edit dialogs' suggestions: for each kind of lookup, which of the
 * catalogue's endpoints it asks (so a lookup is a request the nodes send too)
 * and how the answer is cut down to `{ value, label }`. Sending and caching
 * are the caller's (node-red/lookups.ts); this knows nothing of Node-RED.
 */
import type { Call } from '../client/client';
import { CometError } from '../client/errors';
import type { Translate } from '../client/translate';
import { buildCall, type Values } from './call';
import { CATALOGUE } from './catalogue';
import { checkValue } from './check';
import type { EndpointSpec } from './spec';

/** One suggestion: what goes into the field, and what the list shows. */
export interface Suggestion {
  readonly value: string;
  readonly label: string;
  /** A column's source as a filter writes it (`metric`), for a name typed after `metric.`. */
  readonly source?: string;
}

/**
 * What a lookup reads of its query: the dialog's fields by parameter name
 * (experimentKeys: a list, as comma-separated or JSON text), and `value`
 * (projects: `projectId` puts ids in the field).
 */
export const LOOKUP_PARAMS = ['workspace', 'projectId', 'projectName', 'experimentKey', 'experimentKeys', 'modelName', 'value'] as const;
export type LookupParams = Partial<Record<(typeof LOOKUP_PARAMS)[number], string>>;

/** Sends a call (through the caller's cache) and resolves with Comet's parsed answer. */
export type Ask = (call: Call) => Promise<unknown>;

export interface Lookup {
  readonly params: LookupParams;
  /** The config node's workspace: what a blank `workspace` means. */
  readonly defaultWorkspace: string | undefined;
  readonly ask: Ask;
  readonly t: Translate;
}

/** A workspace-wide experiment lookup (no project in the dialog) reads this many projects, the most recently updated. */
const MAX_PROJECTS = 10;

const ENDPOINTS = {
  workspaces: CATALOGUE['comet-get-projects'].operations.workspaces,
  projects: CATALOGUE['comet-get-projects'].operations.projects,
  columns: CATALOGUE['comet-get-projects'].operations.columns,
  experiments: CATALOGUE['comet-query-project'].operations.experiments,
  registryModels: CATALOGUE['comet-get-registry-model'].operations.models,
  registryModel: CATALOGUE['comet-get-registry-model'].operations.details,
  experimentModels: CATALOGUE['comet-get-experiment'].operations.models,
  metrics: CATALOGUE['comet-get-metrics'].operations.summary,
  parameters: CATALOGUE['comet-get-experiment'].operations.parameters,
} satisfies Record<string, EndpointSpec>;

export type Row = Readonly<Record<string, unknown>>;

/** The call for `values`, each checked as the node would check it (bad input names the parameter). */
function callOf(lookup: Lookup, endpoint: EndpointSpec, values: Values): Call {
  const checked: Values = {};
  for (const spec of endpoint.params) {
    if (values[spec.name] !== undefined) checked[spec.name] = checkValue(lookup.t, endpoint, spec, values[spec.name]);
  }
  return buildCall(endpoint, checked);
}

async function rowsOf(lookup: Lookup, endpoint: EndpointSpec, values: Values, list: string): Promise<Row[]> {
  const answer = (await lookup.ask(callOf(lookup, endpoint, values))) as Row | null;
  const rows = answer && typeof answer === 'object' ? answer[list] : undefined;
  return Array.isArray(rows) ? rows.filter((row): row is Row => !!row && typeof row === 'object') : [];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The suggestions with a value, each value once, in Comet's order. */
function suggestions(rows: readonly Row[], valueOf: (row: Row) => unknown, labelOf: (row: Row) => unknown = valueOf): Suggestion[] {
  const seen = new Set<string>();
  const out: Suggestion[] = [];
  for (const row of rows) {
    const value = text(valueOf(row));
    if (value === undefined || seen.has(value)) continue;
    seen.add(value);
    out.push({ value, label: text(labelOf(row)) ?? value });
  }
  return out;
}

function needs(lookup: Lookup, kind: string, param: string): CometError {
  return CometError.badInput(lookup.t(param === 'workspace' ? 'lookup.needsWorkspace' : 'lookup.needs', { kind, param, label: lookup.t(`params.${param}`) }));
}

function workspaceOf(lookup: Lookup, kind: string): string {
  const workspace = lookup.params.workspace || lookup.defaultWorkspace;
  if (!workspace) throw needs(lookup, kind, 'workspace');
  return workspace;
}

/** projectId, or projectName + workspace, as the dialog gives them; undefined when it gives neither. */
function projectOf(lookup: Lookup, kind: string): Values | undefined {
  const { projectId, projectName } = lookup.params;
  if (projectId) return { projectId };
  if (projectName) return { projectName, workspace: workspaceOf(lookup, kind) };
  return undefined;
}

/** The dialog's project, as projectOf gives it; a dialog without one is told to fill in the project name. */
export function requiredProject(lookup: Lookup, kind: string): Values {
  const project = projectOf(lookup, kind);
  if (!project) throw needs(lookup, kind, 'projectName');
  return project;
}

function required(lookup: Lookup, kind: string, param: 'experimentKey' | 'modelName'): string {
  const value = lookup.params[param];
  if (!value) throw needs(lookup, kind, param);
  return value;
}

/** The workspace's projects that have experiments, the most recently updated first, at most MAX_PROJECTS. */
async function recentProjects(lookup: Lookup): Promise<Row[]> {
  const projects = await rowsOf(lookup, ENDPOINTS.projects, { workspace: workspaceOf(lookup, 'experiments') }, 'projects');
  const updated = (row: Row): number => (typeof row.lastUpdated === 'number' ? row.lastUpdated : 0);
  return projects
    .filter((p) => text(p.projectId) && p.numberOfExperiments !== 0)
    .sort((a, b) => updated(b) - updated(a))
    .slice(0, MAX_PROJECTS);
}

/** A project's experiments, or (no project given) those of the workspace's recent projects, labelled with their project. */
async function experiments(lookup: Lookup): Promise<Suggestion[]> {
  const key = (row: Row): unknown => row.experimentKey;
  const project = projectOf(lookup, 'experiments');
  if (project) return suggestions(await rowsOf(lookup, ENDPOINTS.experiments, project, 'experiments'), key, (row) => row.experimentName);
  const lists = await Promise.all(
    (await recentProjects(lookup)).map(async (p) => {
      const rows = await rowsOf(lookup, ENDPOINTS.experiments, { projectId: p.projectId }, 'experiments');
      return rows.map((row) => ({ ...row, projectName: p.projectName }));
    }),
  );
  return suggestions(lists.flat(), key, (row) => `${text(row.experimentName) ?? row.experimentKey} · ${text(row.projectName) ?? ''}`);
}

/** "1.2.0 · production, Production": the version with its stages and status. */
function versionLabel(row: Row): string {
  const stages = Array.isArray(row.stages) ? row.stages.filter((s): s is string => typeof s === 'string' && s !== '') : [];
  const status = text(row.status);
  const marks = status && !stages.some((s) => s.toLowerCase() === status.toLowerCase()) ? [...stages, status] : stages;
  return marks.length ? `${String(row.version)} · ${marks.join(', ')}` : String(row.version);
}

const name = (row: Row): unknown => row.name;

/** A project's columns (project/column-names) as rows; a dialog without a project has none to give. */
export async function columnRows(lookup: Lookup, kind: string): Promise<Row[]> {
  return rowsOf(lookup, ENDPOINTS.columns, requiredProject(lookup, kind), 'columns');
}

/** The first key of a list as the dialog has it: `["a", "b"]` or `a, b`. */
function firstKey(lookup: Lookup, kind: string): string {
  const text = lookup.params.experimentKeys ?? '';
  let list: unknown = text.split(',');
  try {
    list = JSON.parse(text);
  } catch {
    // comma-separated text
  }
  const first = Array.isArray(list) ? list.map((key) => (typeof key === 'string' ? key.trim() : '')).find(Boolean) : undefined;
  if (!first) throw needs(lookup, kind, 'experimentKeys');
  return first;
}

/** An experiment's metric names. */
async function metricNames(lookup: Lookup, experimentKey: string): Promise<Suggestion[]> {
  return suggestions(await rowsOf(lookup, ENDPOINTS.metrics, { experimentKey }, 'values'), name);
}

/** Each kind of lookup: the suggestions for a dialog's fields. */
export const LOOKUP_KINDS = {
  workspaces: async (lookup: Lookup): Promise<Suggestion[]> => {
    const answer = (await lookup.ask(callOf(lookup, ENDPOINTS.workspaces, {}))) as Row | null;
    const names = Array.isArray(answer?.workspaceNames) ? answer.workspaceNames : [];
    return suggestions(names.map((workspace) => ({ workspace })), (row) => row.workspace);
  },
  projects: async (lookup: Lookup): Promise<Suggestion[]> => {
    const rows = await rowsOf(lookup, ENDPOINTS.projects, { workspace: workspaceOf(lookup, 'projects') }, 'projects');
    const byId = lookup.params.value === 'projectId';
    return suggestions(rows, (row) => (byId ? row.projectId : row.projectName), (row) => row.projectName);
  },
  experiments,
  models: async (lookup: Lookup): Promise<Suggestion[]> =>
    suggestions(await rowsOf(lookup, ENDPOINTS.registryModels, { workspace: workspaceOf(lookup, 'models') }, 'registryModels'), (row) => row.modelName),
  experimentModels: async (lookup: Lookup): Promise<Suggestion[]> =>
    suggestions(await rowsOf(lookup, ENDPOINTS.experimentModels, { experimentKey: required(lookup, 'experimentModels', 'experimentKey') }, 'models'), (row) => row.modelName),
  versions: async (lookup: Lookup): Promise<Suggestion[]> => {
    const values = { modelName: required(lookup, 'versions', 'modelName'), workspace: workspaceOf(lookup, 'versions') };
    return suggestions(await rowsOf(lookup, ENDPOINTS.registryModel, values, 'versions'), (row) => row.version, versionLabel);
  },
  metrics: async (lookup: Lookup): Promise<Suggestion[]> => metricNames(lookup, required(lookup, 'metrics', 'experimentKey')),
  /** The metrics of the first experiment of a list (a chart's): experiments of one project mostly share them. */
  listMetrics: async (lookup: Lookup): Promise<Suggestion[]> => metricNames(lookup, firstKey(lookup, 'listMetrics')),
  /** A project's metric names (of all its experiments), from its columns. */
  projectMetrics: async (lookup: Lookup): Promise<Suggestion[]> => suggestions((await columnRows(lookup, 'projectMetrics')).filter((row) => row.source === 'metrics'), name),
  /** A project's parameter names, from its columns. */
  projectParams: async (lookup: Lookup): Promise<Suggestion[]> => suggestions((await columnRows(lookup, 'projectParams')).filter((row) => row.source === 'params'), name),
  params: async (lookup: Lookup): Promise<Suggestion[]> =>
    suggestions(await rowsOf(lookup, ENDPOINTS.parameters, { experimentKey: required(lookup, 'params', 'experimentKey') }, 'values'), name),
  columns: async (lookup: Lookup): Promise<Suggestion[]> =>
    suggestions(await columnRows(lookup, 'columns'), name, (row) => (text(row.source) ? `${String(row.name)} · ${String(row.source)}` : row.name)),
} as const;
