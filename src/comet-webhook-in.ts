import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import type { RequestHandler } from 'express';
import { DedupWindow } from './triggers/dedup-window';
import { CometError } from './client/errors';
import { nodeRedTranslate } from './node-red/i18n';
import { WebhookDeliveries } from './triggers/webhook-deliveries';
import { startLifecycle } from './node-red/lifecycle';
import { numberSetting } from './text/numbers';
import { addPostRoute, answer, holdsSecret, readBody, sha256 } from './node-red/webhook-http';
import type { CometConfigNode } from './node-red/config';
import type { Claims } from './cluster/shared';
import type { TriggerMessage } from './triggers/event-id';

const TYPE = 'comet-webhook-in';
const DEFAULT_HEADER = 'Authorization';
/**
 * How long a delivery's claim in Redis is kept: long enough that Comet
 * retrying it to another copy of the flow is dropped, short enough that the
 * same body sent later for a new change goes out (Comet's body carries no
 * delivery id or time: a version put in production, taken out and put back
 * gives a body alike to the first one).
 */
const CLAIM_TTL_MS = 10 * 60 * 1000;
const DEFAULT_LIMIT_KB = 1024;
/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

interface WebhookConfig extends NodeDef {
  path?: string;
  header?: string;
  limitKb?: string | number;
  dedupe?: string | number;
  /** A comet-config with a Redis: copies of the flow in other processes send each change once in all. */
  server?: string;
}

interface Credentials {
  secret?: string;
}

/** Reads the webhook node's own catalog. */
type Own = (key: string, vars?: Record<string, string | number>) => string;

/** The node's settings, checked; throws a BAD_INPUT CometError naming the bad one. */
function settingsOf(config: WebhookConfig, own: Own) {
  const trimmed = (config.path ?? '').trim();
  if (!trimmed) throw CometError.badInput(own('errors.noPath'));
  const header = (config.header ?? '').trim() || DEFAULT_HEADER;
  if (!HEADER_NAME.test(header)) throw CometError.badInput(own('errors.header', { header }));
  const limitKb = numberSetting(config.limitKb, DEFAULT_LIMIT_KB, { above: 0 });
  if (Number.isNaN(limitKb)) throw CometError.badInput(own('errors.limit', { limit: String(config.limitKb) }));
  const dedupe = numberSetting(config.dedupe, 0, { min: 0 });
  if (Number.isNaN(dedupe)) throw CometError.badInput(own('errors.dedupe', { dedupe: String(config.dedupe) }));
  return {
    path: trimmed.startsWith('/') ? trimmed : `/${trimmed}`,
    header: header.toLowerCase(),
    limitBytes: Math.round(limitKb * 1024),
    dedupe: dedupe > 0 ? new DedupWindow(dedupe * 1000) : undefined,
  };
}

/**
 * The msgs of a delivery this process is the first to claim in Redis (by
 * eventId), so that a delivery Comet retries to a copy of the flow in another
 * process is sent once in all. `complete` is false when Redis could not be
 * asked for every msg: the ones claimed so far are still this process's to
 * send, and the sender is asked to send the delivery again for the rest.
 */
async function claimed(claims: Claims, messages: readonly TriggerMessage[]): Promise<{ mine: TriggerMessage[]; complete: boolean }> {
  const mine: TriggerMessage[] = [];
  try {
    for (const msg of messages) if (await claims.claim(msg.eventId)) mine.push(msg);
  } catch {
    return { mine, complete: false };
  }
  return { mine, complete: true };
}

export = function register(RED: NodeAPI): void {
  const t = nodeRedTranslate(RED);
  const own: Own = (key, vars) => RED._(`${TYPE}.${key}`, vars);
  const settingOf = (name: string): unknown => (RED.settings as unknown as Record<string, unknown>)[name];

  function WebhookIn(this: Node & { credentials?: Credentials }, config: WebhookConfig): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const life = startLifecycle(node, t);
    const { status } = life;
    const secret = node.credentials?.secret ?? '';
    let settings: ReturnType<typeof settingsOf>;
    let claims: Claims | undefined;
    try {
      // settings.js `httpNodeRoot: false` turns Node-RED's HTTP node server off.
      if (settingOf('httpNodeRoot') === false) throw CometError.badInput(own('errors.noHttpNode'));
      settings = settingsOf(config, own);
      claims = (RED.nodes.getNode(config.server ?? '') as CometConfigNode | null)?.shared()?.claims(node.id, CLAIM_TTL_MS);
    } catch (err) {
      status.failed(err);
      node.error(err);
      return;
    }
    const { path, header, limitBytes, dedupe } = settings;
    const deliveries = new WebhookDeliveries();
    if (!secret) node.warn(own('warnings.open', { path }));

    async function receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
      if (secret && !holdsSecret(req.headers[header], secret)) {
        req.resume();
        answer(res, 401, { error: 'unauthorized' });
        status.refused(own('status.unauthorized'));
        return;
      }
      const read = await readBody(req, limitBytes);
      if ('tooLarge' in read) {
        answer(res, 413, { error: 'payload too large', limit: limitBytes });
        status.refused(own('status.tooLarge'));
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(read.bytes.toString('utf8'));
      } catch {
        answer(res, 400, { error: 'body is not JSON' });
        status.refused(own('status.notJson'));
        return;
      }
      if (dedupe?.seen(sha256(read.bytes).toString('hex'))) {
        answer(res, 200, { received: true });
        status.done(own('status.duplicate'));
        return;
      }
      const messages = deliveries.messagesOf(body);
      // Claimed before the answer: a 200 tells Comet it need not send again, so it comes only once every msg is this process's or another's.
      const { mine: sent, complete } = claims ? await claimed(claims, messages) : { mine: messages, complete: true };
      answer(res, complete ? 200 : 503, complete ? { received: true } : { error: 'Redis unreachable: send again' });
      for (const msg of sent) node.send(msg as NodeMessage);
      if (!complete) status.noted(t('status.paused'));
      else if (!sent.length && messages.length) status.done(own('status.duplicate'));
      else status.done(own('status.received', { count: sent.length, time: new Date().toLocaleTimeString() }));
    }

    const handler: RequestHandler = (req, res) => {
      receive(req, res).catch((err: unknown) => {
        if (!res.headersSent) answer(res, 500, { error: 'internal error' });
        node.error(err);
      });
    };
    life.onClose(addPostRoute(RED.httpNode, path, settingOf('httpNodeMiddleware'), handler));
  }

  RED.nodes.registerType(TYPE, WebhookIn as never, {
    credentials: { secret: { type: 'password' } },
  });
};
