import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { buildCall, type Values } from '../catalogue/call';
import { CATALOGUE, operationsOf, type CatalogueNodeType } from '../catalogue/catalogue';
import { NewPoints, seriesOf } from '../catalogue/series';
import type { EndpointSpec } from '../catalogue/spec';
import type { Call, CometClient, RequestOptions } from '../client/client';
import type { CometConfigNode } from './config';
import { CometError } from '../client/errors';
import type { Translate } from '../client/translate';
import { nodeRedTranslate } from './i18n';
import { ParamResolver, type NodeConfig } from './params';
import { handleMessages, type Lifecycle } from './lifecycle';
import { type StatusReporter, type Summary } from './status';
import { formatBytes } from '../text/format';
import type { Ask } from '../catalogue/lookups';
import { parseFilter } from '../filter/parse';
import { askQueries, queriesOf } from '../filter/query';
import { cachedAsk } from './lookups';

/** One msg's request, ready to send, as a handler of an answer kind gets it. */
export interface Exchange {
  readonly config: NodeConfig;
  readonly client: CometClient;
  readonly endpoint: EndpointSpec;
  readonly call: Call;
  readonly values: Values;
  readonly msg: NodeMessage & Record<string, unknown>;
  /** Aborts when the node closes. */
  readonly signal: AbortSignal;
  /** The options to send the call with: the signal, and the waits the status tells of. */
  readonly request: RequestOptions;
  readonly status: StatusReporter;
  /** Makes the node's close wait for `work` (a download cleaning up its temporary files). */
  readonly hold: Lifecycle['hold'];
  /** What the node has sent of each series (shape `new-points`). */
  readonly sent: NewPoints;
  readonly t: Translate;
}

/**
 * Sends the exchange's call, puts the answer in msg.payload (and whatever
 * else the kind sets) and returns the status summary.
 */
export type AnswerHandler = (exchange: Exchange) => Promise<Summary>;

/** Parsed JSON, exactly as Comet returns it. */
const jsonAnswer: AnswerHandler = async ({ client, call, msg, request, endpoint, values, sent, t }) => {
  const payload = await client.json(call, request);
  if (endpoint.series && values.shape === 'series') return seriesAnswer(endpoint, payload, msg, t);
  if (endpoint.series && values.shape === 'new-points') return newPointsAnswer(endpoint, payload, msg, sent, t);
  msg.payload = payload;
  // Counted now, so the closure does not hold the answer; worded only if shown.
  const count = endpoint.count ? sizeOf((payload as Record<string, unknown> | null)?.[endpoint.count]) : undefined;
  return () => summarise(endpoint, count, values, t);
};

/** The answer as chart points (catalogue/series.ts), for the `shape` option set to `series`. */
function seriesAnswer(endpoint: EndpointSpec, answer: unknown, msg: Exchange['msg'], t: Translate): Summary {
  const points = seriesOf(endpoint, answer, msg.experimentNames);
  msg.payload = points;
  const count = points.length;
  return () => t('status.count', { count, noun: t('status.noun.points', { count }) });
}

/**
 * Only the points not sent yet, for a live chart: the first time all of them
 * with msg.action `replace`, then the new ones with `append`; with none new,
 * no msg.payload at all (a chart node ignores the msg; an empty array would
 * clear it).
 */
function newPointsAnswer(endpoint: EndpointSpec, answer: unknown, msg: Exchange['msg'], sent: NewPoints, t: Translate): Summary {
  const { points, first } = sent.take(seriesOf(endpoint, answer, msg.experimentNames));
  msg.action = first ? 'replace' : 'append';
  if (points.length || first) msg.payload = points;
  else delete msg.payload;
  const count = points.length;
  return () => t('status.newPoints', { count, noun: t('status.noun.points', { count }) });
}

/** Bytes as a Buffer; Comet's "nothing here" JSON note as null. */
const rawAnswer: AnswerHandler = async ({ client, call, msg, request, t }) => {
  const result = await client.raw(call, request);
  if ('empty' in result) {
    msg.payload = null;
    return t('status.empty', { msg: result.empty });
  }
  msg.payload = result.bytes;
  return formatBytes(result.bytes.length);
};

/**
 * A query with a filter: compiled against the project's columns (asked
 * through the lookups' cache), then one query per branch of its `or`s, the
 * keys merged (src/filter/). The status tells how many queries it took.
 */
async function filterAnswer({ client, msg, request, endpoint, values, t }: Exchange, ask: Ask): Promise<Summary> {
  const tree = parseFilter(values.filter as string, t);
  const queries = await queriesOf({ ask, t }, tree, values);
  const payload = await askQueries(client, request, queries, values, t);
  msg.payload = payload;
  const count = sizeOf(payload[endpoint.count ?? '']);
  return () => {
    const text = summarise(endpoint, count, values, t);
    return queries.length > 1 ? t('status.queries', { text, count: queries.length }) : text;
  };
}

/** "3 projects", "loss: 150 values", as the catalogue's count, noun and countLabel say. */
function summarise(endpoint: EndpointSpec, count: number | undefined, values: Values, t: Translate): string {
  if (count === undefined) return t('status.done');
  const text = t('status.count', { count, noun: t(`status.noun.${endpoint.noun ?? endpoint.count}`, { count }) });
  const label = endpoint.countLabel ? values[endpoint.countLabel] : undefined;
  return label === undefined ? text : t('status.labelled', { label, text });
}

/** How many: a list's items, an object's keys (chart answers), or the number itself. */
function sizeOf(found: unknown): number | undefined {
  if (Array.isArray(found)) return found.length;
  if (typeof found === 'number' && Number.isFinite(found)) return found;
  if (found && typeof found === 'object') return Object.keys(found).length;
  return undefined;
}

export interface OperationNodeOptions {
  /** Handlers for answer kinds this node adds (the download node's `download`). */
  readonly handlers?: Partial<Record<EndpointSpec['answer'], AnswerHandler>>;
}

interface OperationNodeConfig extends NodeDef {
  server?: string;
  operation?: string;
}

/**
 * Registers a node type whose operations are the catalogue's entries for it.
 * Every API node is this one implementation with another catalogue entry:
 * read the parameters, check them, call Comet, set msg.payload, show status.
 */
export function registerOperationNode(RED: NodeAPI, type: CatalogueNodeType, options: OperationNodeOptions = {}): void {
  const t = nodeRedTranslate(RED);
  const operations = operationsOf(type);
  const handlers: Record<string, AnswerHandler> = { json: jsonAnswer, raw: rawAnswer, ...options.handlers };

  function OperationNode(this: Node, config: OperationNodeConfig): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const configNode = RED.nodes.getNode(config.server ?? '') as CometConfigNode | null;
    const operation = config.operation || Object.keys(operations)[0];
    const endpoint = operations[operation] as EndpointSpec | undefined;
    // The operation's options (shape) are read and checked like its parameters; buildCall sends only the parameters.
    const inputs = endpoint && { ...endpoint, params: [...endpoint.params, ...(endpoint.options ?? [])] };
    const resolver = inputs ? new ParamResolver(RED, node, config as unknown as NodeConfig, inputs, t) : undefined;
    const handler = endpoint ? handlers[endpoint.answer] : undefined;
    const resolvedProjects = new Map<string, Promise<string>>();
    const sent = new NewPoints();

    /** notes and share links take only projectId: find it by name once per deployment. Undefined when there is nothing to find. */
    function projectIdOf(client: CometClient, values: Values, request: RequestOptions): Promise<void> | undefined {
      if (!endpoint?.resolvesProjectId || values.projectId !== undefined) return undefined;
      const key = `${values.workspace}\u0000${values.projectName}`;
      let found = resolvedProjects.get(key);
      if (!found) {
        const lookup = buildCall(CATALOGUE['comet-get-projects'].operations.project, { projectName: values.projectName, workspace: values.workspace });
        found = client
          .json(lookup, request)
          .then((project) => {
            const id = (project as { projectId?: unknown })?.projectId;
            if (typeof id !== 'string' || !id) {
              throw CometError.notFound(t('errors.notFound', { subject: `projectName "${values.projectName}"`, status: 200, endpoint: 'project', config: client.label, said: '' }), { endpoint: 'project' });
            }
            return id;
          });
        resolvedProjects.set(key, found);
        found.catch(() => resolvedProjects.delete(key));
      }
      return found.then((id) => {
        values.projectId = id;
      });
    }

    /** The request of a msg whose values are read and checked: sent at once, or once its projectId is found. */
    function send(endpoint: EndpointSpec, handler: AnswerHandler, configNode: CometConfigNode, values: Values, msg: Exchange['msg'], context: Lifecycle): Promise<Summary> {
      const client = configNode.client();
      const { signal, request, status, hold } = context;
      const exchange = (): Promise<Summary> => {
        const given: Exchange = { config: config as unknown as NodeConfig, client, endpoint, call: buildCall(endpoint, values), values, msg, signal, request, status, hold, sent, t };
        return values.filter === undefined ? handler(given) : filterAnswer(given, cachedAsk(configNode, request));
      };
      const lookup = projectIdOf(client, values, request);
      return lookup ? lookup.then(exchange) : exchange();
    }

    // No await on the way: a msg whose parameters need no promise (most) goes
    // to the client in the same turn, as the request it makes.
    handleMessages(node, t, (msg, context) => {
      if (!endpoint || !resolver || !handler) {
        throw CometError.badInput(t('errors.badOperation', { operation, type, operations: Object.keys(operations).join(', ') }));
      }
      if (!configNode) throw CometError.badInput(t('errors.noConfig'));
      const values = resolver.resolve(msg, configNode.workspace);
      if (values instanceof Promise) return values.then((read) => send(endpoint, handler, configNode, read, msg, context));
      return send(endpoint, handler, configNode, values, msg, context);
    });
  }

  RED.nodes.registerType(type, OperationNode as never);
}
