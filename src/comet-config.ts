// First: on a Node older than engines.node this fails the load with one clear sentence, before undici loads.
import './client/supported-node';
import type { ConnectionOptions } from 'node:tls';
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { CometClient } from './client/client';
import { envReference, type CometConfigNode, type ConfigProperties } from './node-red/config';
import { numberSetting } from './text/numbers';
import { CometError, isCometError } from './client/errors';
import type { Translate } from './client/translate';
import { nodeRedTranslate } from './node-red/i18n';
import { chooseServer } from './client/server-url';
import { registerLookupRoutes } from './node-red/lookups';
import { Shared } from './cluster/shared';
import { displayAddress, isRedisUrl } from './cluster/redis-connection';

interface Credentials {
  apiKey?: string;
  redisPassword?: string;
}

/** Tuning fields: the client falls back to its defaults for blank, out-of-range and mistyped values. */
const TUNING = { lenient: true } as const;

/** The editor's placeholder for a password credential that is set but not shown. */
const HIDDEN_PASSWORD = '__PWRD__';

interface TlsConfigNode extends Node {
  addTLSOptions(options: ConnectionOptions): void;
}

type ClientMaker = (settings: ConnectionSettings, t: Translate, overrides?: { retries?: number }) => CometClient;

interface ConnectionSettings {
  readonly properties: ConfigProperties;
  readonly apiKey: string;
  readonly label: string;
  /** The shared state for a REST root, when the config names a Redis. */
  readonly shared?: (restRoot: string) => Shared;
}

export = function register(RED: NodeAPI): void {
  const t = nodeRedTranslate(RED);

  /** A credential as typed, or the environment variable its `${NAME}` names. */
  function credentialOf(node: Node | undefined, given: string): string {
    const variable = envReference(given);
    if (!variable) return given;
    return String((node ? RED.util.evaluateNodeProperty(variable, 'env', node, {}) : process.env[variable]) ?? '').trim();
  }

  /** The key: the credential (`${VAR}` allowed), else COMET_API_KEY. */
  function apiKeyOf(node: Node | undefined, credential: string | undefined): string {
    const given = (credential ?? '').trim();
    return envReference(given) ? credentialOf(node, given) : given || (process.env.COMET_API_KEY ?? '').trim();
  }

  function tlsOptionsOf(id: string | undefined): ConnectionOptions | undefined {
    if (!id) return undefined;
    const tlsNode = RED.nodes.getNode(id) as TlsConfigNode | null;
    if (!tlsNode || typeof tlsNode.addTLSOptions !== 'function') return undefined;
    const options: ConnectionOptions = {};
    tlsNode.addTLSOptions(options);
    return options;
  }

  function createClient(settings: ConnectionSettings, t: Translate, overrides: { retries?: number } = {}): CometClient {
    const { properties, apiKey, label, shared } = settings;
    if (!apiKey) throw CometError.noApiKey(t('errors.noApiKey', { config: label }));
    // Reading the server may fail too (a typed URL that is not one): same clear error.
    let server = properties.baseUrl ?? '';
    try {
      server = chooseServer(properties.baseUrl, apiKey);
      return new CometClient({
        server,
        apiKey,
        label,
        concurrency: numberSetting(properties.concurrency, undefined, TUNING),
        ratePerMinute: numberSetting(properties.rate, undefined, TUNING),
        timeoutMs: (numberSetting(properties.timeout, undefined, TUNING) ?? 0) * 1000 || undefined,
        retries: overrides.retries ?? numberSetting(properties.retries, undefined, TUNING),
        tls: tlsOptionsOf(properties.tls),
        sharedBudget: shared && ((perMinute, restRoot) => shared(restRoot).budget(perMinute)),
        t,
      });
    } catch (err) {
      if (isCometError(err)) throw err;
      throw CometError.badInput(t('errors.badServer', { server, config: label }));
    }
  }

  function CometConfig(this: CometConfigNode & { credentials: Credentials }, config: NodeDef & ConfigProperties): void {
    RED.nodes.createNode(this, config);
    const node = this as CometConfigNode & { credentials: Credentials; workspace: string | undefined; client: () => CometClient; shared: () => Shared | undefined };
    const label = config.name || node.id;
    const apiKey = apiKeyOf(this, this.credentials?.apiKey);
    const sharing = redisSharing(node, (config.redisUrl ?? '').trim(), credentialOf(this, (this.credentials?.redisPassword ?? '').trim()), { apiKey, label, t });
    const settings: ConnectionSettings = { properties: config, apiKey, label, shared: sharing?.sharedFor };
    node.workspace = (config.workspace ?? '').trim() || (process.env.COMET_WORKSPACE ?? '').trim() || undefined;

    // Made on first use, so that a config node with a missing key only fails
    // the msgs that need it, with a clear error, and never the deploy.
    let client: CometClient | undefined;
    node.client = () => (client ??= createClient(settings, t));
    node.shared = () => sharing?.sharedFor(node.client().restRoot.href);

    node.on('close', (_removed: boolean, done: () => void) => {
      const closing = Promise.all([client?.close(), sharing?.close()]);
      client = undefined;
      closing.then(() => done(), () => done());
    });
  }

  RED.nodes.registerType('comet-config', CometConfig as never, {
    credentials: { apiKey: { type: 'password' }, redisPassword: { type: 'password' } },
  });

  registerTestConnection(RED, t, apiKeyOf, createClient);
  registerLookupRoutes(RED, t);
};

/**
 * A config node's share of what processes have in common through its Redis,
 * made on first use (undefined without a Redis URL). Its outages are logged
 * once each (the address, never the password), and once more when it is back.
 */
function redisSharing(node: Node, url: string, password: string | undefined, { apiKey, label, t }: { apiKey: string; label: string; t: Translate }) {
  if (!url) return undefined;
  let shared: Shared | undefined;
  let stopWatching: (() => void) | undefined;
  return {
    sharedFor(restRoot: string): Shared {
      if (shared) return shared;
      if (!isRedisUrl(url)) throw CometError.badInput(t('errors.badRedisUrl', { config: label }));
      const words = { redis: displayAddress(url), config: label };
      shared = new Shared({ url, password: password || undefined, restRoot, apiKey, unavailable: () => CometError.sharedUnavailable(t('errors.redisDown', words)) });
      let wasDown = false;
      stopWatching = shared.watchConnection((state) => {
        if (state === 'down' && !wasDown) node.warn(t('errors.redisDownLog', { ...words, reason: shared?.reason ?? 'no answer' }));
        else if (state === 'up' && wasDown) node.log(t('errors.redisBack', words));
        if (state !== 'connecting') wasDown = state === 'down';
      });
      return shared;
    },
    async close(): Promise<void> {
      stopWatching?.();
      await shared?.close();
      shared = undefined;
    },
  };
}

/** The REST root the deployed config node `id` sends its key to; undefined when it is not deployed or has no server. */
function deployedRestRoot(RED: NodeAPI, id: string | undefined): string | undefined {
  const node = id ? (RED.nodes.getNode(id) as CometConfigNode | null) : null;
  try {
    return node?.client().restRoot.href;
  } catch {
    return undefined;
  }
}

/**
 * "Test connection" in the editor: asks Comet who the key belongs to, with
 * the dialog's unsaved values; a hidden (saved) key is read from the node,
 * and is sent only to the deployed node's own server.
 */
function registerTestConnection(RED: NodeAPI, t: Translate, apiKeyOf: (node: Node | undefined, credential: string | undefined) => string, createClient: ClientMaker): void {
  RED.httpAdmin.post('/comet-config/test', RED.auth.needsPermission('comet-config.write'), async (req, res) => {
    const body = (req.body ?? {}) as ConfigProperties & { id?: string; apiKey?: string };
    const label = body.name || body.id || 'comet-config';
    let typedKey = typeof body.apiKey === 'string' ? body.apiKey : '';
    let saved = false;
    if (typedKey === HIDDEN_PASSWORD || (!typedKey && body.id)) {
      typedKey = (body.id && (RED.nodes.getCredentials(body.id) as Credentials | undefined)?.apiKey) || '';
      saved = !!typedKey;
    }
    let client: CometClient | undefined;
    try {
      client = createClient({ properties: body, apiKey: apiKeyOf(undefined, typedKey), label }, t, { retries: 0 });
      // The saved key goes only to the server it was saved for: another server in the dialog needs the key typed there.
      if (saved && client.restRoot.href !== deployedRestRoot(RED, body.id)) {
        throw CometError.badInput(t('errors.testOtherServer', { host: client.restRoot.host }));
      }
      const account = (await client.json({ endpoint: 'account-details', method: 'GET', path: 'account-details' })) as Record<string, unknown>;
      res.json({
        ok: true,
        userName: account.userName,
        defaultWorkspaceName: account.defaultWorkspaceName,
        restRoot: client.restRoot.href,
      });
    } catch (err) {
      const error = isCometError(err) ? err : CometError.network(String((err as Error)?.message ?? err));
      res.json({ ok: false, code: error.code, message: error.message });
    } finally {
      await client?.close();
    }
  });
}
