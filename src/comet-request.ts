import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import type { Call } from './client/client';
import type { CometConfigNode } from './node-red/config';
import { CometError } from './client/errors';
import { nodeRedTranslate } from './node-red/i18n';
import { handleMessages } from './node-red/lifecycle';
import { describe, formatBytes, hasControlCharacters } from './text/format';

interface RequestNodeConfig extends NodeDef {
  server?: string;
  /** GET, POST, or blank: msg.method. */
  method?: string;
  /** Relative to the REST root; blank: msg.path. */
  path?: string;
}

type Msg = NodeMessage & Record<string, unknown>;

/** The node's own fields as each msg reads them. */
interface Fields {
  readonly method: string | undefined;
  /** Trimmed; blank: msg.path. */
  readonly path: string;
}

const METHODS = ['GET', 'POST'] as const;
type Method = (typeof METHODS)[number];

const MAX_PATH = 4096;

/** The types of a query value that go as their text. */
const QUERY_VALUE_TYPES: ReadonlySet<string> = new Set(['string', 'number', 'boolean']);

/**
 * The escape hatch for endpoints the catalogue does not wrap yet: any path
 * under the REST root, with msg.query and (POST) msg.payload as the JSON
 * body, through the config node's client, so auth, limits, retries and
 * errors are those of every other node. The client refuses a path that
 * would leave the REST root.
 */
export = (RED: NodeAPI): void => {
  const t = nodeRedTranslate(RED);
  const own = (key: string, vars?: Record<string, string | number>): string => RED._(`comet-request.${key}`, vars);
  const badInput = (key: string, vars: Record<string, string | number>, endpoint?: string): CometError =>
    CometError.badInput(own(`errors.${key}`, vars), endpoint === undefined ? {} : { endpoint });

  function methodOf(fixed: string | undefined, msg: Msg): Method {
    const given = fixed || msg.method || 'GET';
    const method = typeof given === 'string' ? given.trim().toUpperCase() : given;
    if (!METHODS.includes(method as Method)) throw badInput('method', { got: describe(given) });
    return method as Method;
  }

  /** `fixed`: the node's path, trimmed at deploy; blank: msg.path. */
  function pathOf(fixed: string, msg: Msg): string {
    const given = fixed || msg.path;
    if (given === undefined || given === null || given === '') {
      throw CometError.badInput(t('errors.missing', { param: 'path', label: own('label.path') }));
    }
    if (typeof given !== 'string' || given.length > MAX_PATH || hasControlCharacters(given)) {
      throw badInput('path', { got: describe(given), max: MAX_PATH });
    }
    return given;
  }

  /** msg.query as query parameters: text, numbers and booleans; null and undefined are left out. */
  function queryOf(msg: Msg, endpoint: string): Record<string, string> {
    const given = msg.query;
    if (given === undefined || given === null) return {};
    if (typeof given !== 'object' || Array.isArray(given) || Buffer.isBuffer(given)) throw badInput('query', { got: describe(given) }, endpoint);
    const query: Record<string, string> = {};
    for (const [name, value] of Object.entries(given)) {
      if (value === undefined || value === null) continue;
      if (!QUERY_VALUE_TYPES.has(typeof value)) throw badInput('queryValue', { name, got: describe(value) }, endpoint);
      query[name] = String(value);
    }
    return query;
  }

  /** msg.payload as the POST body: an object or array, or JSON text of one; nothing sends {}. */
  function bodyOf(msg: Msg, endpoint: string): unknown {
    let body = msg.payload;
    if (body === undefined || body === null) return {};
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        throw badInput('body', { got: describe(msg.payload) }, endpoint);
      }
    }
    if (!body || typeof body !== 'object' || Buffer.isBuffer(body)) throw badInput('body', { got: describe(msg.payload) }, endpoint);
    return body;
  }

  function callOf(fields: Fields, msg: Msg): Call {
    const method = methodOf(fields.method, msg);
    const path = pathOf(fields.path, msg);
    const query = queryOf(msg, path);
    return { endpoint: path, method, path, query, body: method === 'POST' ? bodyOf(msg, path) : undefined, subject: query };
  }

  function CometRequest(this: Node, config: RequestNodeConfig): void {
    RED.nodes.createNode(this, config);
    const configNode = RED.nodes.getNode(config.server ?? '') as CometConfigNode | null;
    // The node's fields, read once at deploy.
    const fields: Fields = { method: config.method, path: config.path?.trim() ?? '' };
    // Worded only if the throttled status shows it (see Summary).
    const doneText = (): string => t('status.done');
    handleMessages(this, t, (msg, { request }) => {
      if (!configNode) throw CometError.badInput(t('errors.noConfig'));
      const call = callOf(fields, msg);
      return configNode.client().any(call, request).then((answer) => {
        msg.payload = answer;
        return Buffer.isBuffer(answer) ? formatBytes(answer.length) : doneText;
      });
    });
  }

  RED.nodes.registerType('comet-request', CometRequest as never);
};
