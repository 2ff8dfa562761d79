import type { NodeAPI } from 'node-red';
import type { Request, Response } from 'express';
import type { Call, CometClient, RequestOptions, SendOptions } from '../client/client';
import { CometError, ERROR_CODES, isCometError } from '../client/errors';
import type { Translate } from '../client/translate';
import { LOOKUP_KINDS as CATALOGUE_KINDS, LOOKUP_PARAMS, requiredProject, type Ask, type Lookup, type LookupParams, type Suggestion } from '../catalogue/lookups';
import { filterColumns } from '../filter/lookup';
import type { Queries } from '../filter/compile';
import { parseFilter } from '../filter/parse';
import { queriesOf } from '../filter/query';
import type { CometConfigNode } from './config';

/** Every kind of lookup: the catalogue's, and the filter field's columns. */
const LOOKUP_KINDS: Readonly<Record<string, (lookup: Lookup) => Promise<Suggestion[]>>> = { ...CATALOGUE_KINDS, filterColumns };

/** How long an answer of Comet is kept for the next lookup that needs it. */
export const LOOKUP_CACHE_MS = 60_000;
/** Each attempt of a lookup's request: a dialog waits for this, not for the config's timeout. */
const LOOKUP_TIMEOUT_MS = 5_000;

interface Kept {
  readonly until: number;
  readonly answer: Promise<unknown>;
}

/**
 * Comet's answers for the lookups of one deployed config node, by request,
 * for LOOKUP_CACHE_MS: lookups that need the same request (the same kind and
 * parameters, or the projects both `projects` and a workspace-wide
 * `experiments` read) send it once, even while it is in flight. A failure is
 * not kept, so the next lookup asks again.
 */
class AnswerCache {
  private readonly kept = new Map<string, Kept>();

  constructor(private readonly client: CometClient) {}

  /** `send`: how a request that is not kept is sent (a dialog's lookup waits less than a msg). */
  ask(call: Call, send: SendOptions): Promise<unknown> {
    const key = JSON.stringify([call.method, call.path, Object.entries(call.query ?? {}).sort()]);
    const now = Date.now();
    const hit = this.kept.get(key);
    if (hit && hit.until > now) return hit.answer;
    for (const [old, entry] of this.kept) if (entry.until <= now) this.kept.delete(old);
    const answer = this.client.json(call, send);
    this.kept.set(key, { until: now + LOOKUP_CACHE_MS, answer });
    answer.catch(() => {
      if (this.kept.get(key)?.answer === answer) this.kept.delete(key);
    });
    return answer;
  }
}

/** One cache per deployed config node: a redeployed config is a new node, so its lookups start afresh. */
const caches = new WeakMap<CometConfigNode, AnswerCache>();

function cacheOf(node: CometConfigNode): AnswerCache {
  let cache = caches.get(node);
  if (!cache) caches.set(node, (cache = new AnswerCache(node.client())));
  return cache;
}

/** A dialog's lookup: each attempt waits LOOKUP_TIMEOUT_MS, not the config's timeout. */
const FOR_DIALOG: SendOptions = { timeoutMs: LOOKUP_TIMEOUT_MS };

/**
 * Asks through the lookups' cache of a deployed config node: what the nodes
 * need of it (a project's columns for a filter) costs one request a minute,
 * however many msgs and dialogs ask. With a msg's `request`, a request it
 * sends has the config's timeout and tells the node of its waits (the
 * request budget, Comet's rate limit), and the msg's wait ends when the node
 * closes (the shared request goes on for whoever else asked).
 */
export function cachedAsk(node: CometConfigNode, request?: RequestOptions): Ask {
  const cache = cacheOf(node);
  if (!request) return (call) => cache.ask(call, FOR_DIALOG);
  const { signal, onWait } = request;
  const send: SendOptions = { onWait };
  return (call) =>
    new Promise((resolve, reject) => {
      const abort = (): void => reject(signal.reason);
      if (signal.aborted) return abort();
      signal.addEventListener('abort', abort, { once: true });
      cache.ask(call, send).then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
    });
}

/** The query's known parameters, trimmed; blank ones left out. */
function paramsOf(query: Request['query']): LookupParams {
  const params: Record<string, string> = {};
  for (const name of LOOKUP_PARAMS) {
    const value = query[name];
    if (typeof value === 'string' && value.trim()) params[name] = value.trim();
  }
  return params;
}

/** A failure's HTTP status: never 401 or 403, which the editor would take for its own login. */
function statusOf(error: CometError): number {
  if (error.code === ERROR_CODES.BAD_INPUT || error.code === ERROR_CODES.NO_API_KEY) return 400;
  if (error.code === ERROR_CODES.TIMEOUT) return 504;
  return 502;
}

/** Answers an admin request with what `work` makes of the deployed config node `:id`, or with why it could not. */
async function respond(RED: NodeAPI, t: Translate, req: Request, res: Response, kind: string, work: (node: CometConfigNode) => Promise<unknown>): Promise<void> {
  const node = RED.nodes.getNode((req.params as { id: string }).id) as CometConfigNode | null;
  if (!node || node.type !== 'comet-config') {
    res.status(404).json({ error: t('lookup.notDeployed') });
    return;
  }
  try {
    res.json(await work(node));
  } catch (err) {
    // A CometError's message is written for people and holds no key; anything else is said in general words, never as a stack.
    const error = isCometError(err) ? err : CometError.unexpectedAnswer(t('lookup.failed', { kind }));
    res.status(statusOf(error)).json({ error: error.message, code: error.code });
  }
}

/**
 * The predicates of the filter `?filter=` on the project the query names,
 * one list per query: `{ queries }`; a mistake in it (or a dialog without a
 * project) is an answer too, `{ error, code }`, the sentence a msg would fail
 * with. Only a failure to ask Comet is an HTTP error.
 */
async function previewFilter(node: CometConfigNode, req: Request, t: Translate): Promise<{ queries: Queries } | { error: string; code: string }> {
  try {
    return await compileForPreview(node, req, t);
  } catch (err) {
    if (isCometError(err) && err.code === ERROR_CODES.BAD_INPUT) return { error: err.message, code: err.code };
    throw err;
  }
}

async function compileForPreview(node: CometConfigNode, req: Request, t: Translate): Promise<{ queries: Queries }> {
  const params = paramsOf(req.query);
  const text = typeof req.query.filter === 'string' ? req.query.filter : '';
  if (!text.trim()) return { queries: [] };
  const tree = parseFilter(text, t);
  const ask = cachedAsk(node);
  const project = requiredProject({ params, defaultWorkspace: node.workspace, ask, t }, 'filter');
  return { queries: await queriesOf({ ask, t }, tree, project) };
}

/**
 * The editor's suggestions and filter previews, answered from the runtime so
 * the key stays here, with read permission:
 * GET <httpAdminRoot>/comet-config/<config id>/lookup/<kind>, and
 * GET <httpAdminRoot>/comet-config/<config id>/filter?filter=&projectName=... (the compiled predicates).
 */
export function registerLookupRoutes(RED: NodeAPI, t: Translate): void {
  RED.httpAdmin.get('/comet-config/:id/lookup/:kind', RED.auth.needsPermission('comet-config.read'), (req, res) => {
    const { kind } = req.params as { kind: string };
    if (!Object.hasOwn(LOOKUP_KINDS, kind)) {
      res.status(404).json({ error: t('lookup.unknownKind', { kind, kinds: Object.keys(LOOKUP_KINDS).join(', ') }), code: ERROR_CODES.BAD_INPUT });
      return;
    }
    void respond(RED, t, req, res, kind, (node) => LOOKUP_KINDS[kind]({ params: paramsOf(req.query), defaultWorkspace: node.workspace, ask: cachedAsk(node), t }));
  });
  RED.httpAdmin.get('/comet-config/:id/filter', RED.auth.needsPermission('comet-config.read'), (req, res) => {
    void respond(RED, t, req, res, 'filter', (node) => previewFilter(node, req, t));
  });
}
