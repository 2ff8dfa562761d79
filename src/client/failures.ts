import type { IncomingHttpHeaders } from 'node:http';
import { parseErrorBody } from './answers';
import { CometError, ERROR_CODES, type ErrorCode } from './errors';
import type { Translate } from './translate';
import { serverRetryAfterMs } from './retry';

/** What a failure message needs to know of the client that made the call. */
interface Reporter {
  readonly label: string;
  readonly t: Translate;
  readonly restRoot: URL;
  readonly timeoutMs: number;
}

interface Called {
  readonly endpoint: string;
  readonly subject?: Readonly<Record<string, unknown>>;
}

/** Comet's sdk_error_codes that mean "no such thing". */
const NOT_FOUND_SDK_CODES: ReadonlySet<number> = new Set([42008, 624522, 624523, 90219]);

/** Socket-level failures (and TLS ones) that undici and Node report by code. */
const SOCKET_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
]);

/** True for errors of the network (DNS, sockets, TLS), not of our own code or the disk. */
export function isNetworkError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  if (typeof code !== 'string' || err instanceof CometError) return false;
  return SOCKET_CODES.has(code) || /^(UND_ERR_|ERR_TLS_|ERR_SSL_)|CERT|SELF_SIGNED|UNABLE_TO_/.test(code);
}

/** Names what was asked for, for "not found" messages: `experiment key "abc"`. */
export function subjectText(call: Called): string {
  const entries = Object.entries(call.subject ?? {}).filter(([, v]) => v !== undefined && v !== '');
  return entries.map(([name, value]) => `${name} "${String(value)}"`).join(', ');
}

export function httpError(client: Reporter, call: Called, status: number, headers: IncomingHttpHeaders, body: Buffer, tries: number): CometError {
  const comet = parseErrorBody(body);
  const cometMessage = typeof comet?.msg === 'string' ? comet.msg : undefined;
  const sdkErrorCode = typeof comet?.sdk_error_code === 'number' && comet.sdk_error_code !== 0 ? comet.sdk_error_code : undefined;
  const retryAfterMs = serverRetryAfterMs(headers);
  const vars = {
    config: client.label,
    endpoint: call.endpoint,
    status,
    tries,
    subject: subjectText(call) || call.endpoint,
    said: cometMessage ? client.t('errors.cometSaid', { msg: cometMessage }) : '',
    wait: retryAfterMs === undefined ? '' : client.t('errors.waitFor', { seconds: Math.ceil(retryAfterMs / 1000) }),
  };
  let code: ErrorCode;
  let key: string;
  if (status === 401) {
    [code, key] = [ERROR_CODES.KEY_REJECTED, 'errors.keyRejected'];
  } else if (status === 403) {
    [code, key] = [ERROR_CODES.FORBIDDEN, 'errors.forbidden'];
  } else if (status === 404 || (sdkErrorCode !== undefined && NOT_FOUND_SDK_CODES.has(sdkErrorCode))) {
    [code, key] = [ERROR_CODES.NOT_FOUND, 'errors.notFound'];
  } else if (status === 429) {
    [code, key] = [ERROR_CODES.RATE_LIMITED, 'errors.rateLimited'];
  } else if (status >= 500) {
    [code, key] = [ERROR_CODES.SERVER_ERROR, 'errors.serverError'];
  } else if (status >= 400) {
    [code, key] = [ERROR_CODES.BAD_REQUEST, 'errors.badRequest'];
  } else {
    [code, key] = [ERROR_CODES.UNEXPECTED_ANSWER, 'errors.unexpectedStatus'];
  }
  return new CometError(code, client.t(key, vars), {
    statusCode: status,
    sdkErrorCode,
    endpoint: call.endpoint,
    cometMessage,
    retryAfterSeconds: retryAfterMs === undefined ? undefined : retryAfterMs / 1000,
  });
}

/** What Node's socket errors say about where they happened. */
interface SocketError {
  code?: unknown;
  hostname?: unknown;
  address?: unknown;
  port?: unknown;
}

function defaultPort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/**
 * The proxy (host:port, never its credentials) that HTTP(S)_PROXY names for
 * `url`, when the failure happened there rather than at Comet.
 */
function failedProxy(err: SocketError, url: URL, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const secure = url.protocol === 'https:';
  // undici's EnvHttpProxyAgent sends https through HTTP_PROXY when HTTPS_PROXY is unset.
  const named = (secure ? (env.https_proxy ?? env.HTTPS_PROXY) : undefined) ?? env.http_proxy ?? env.HTTP_PROXY;
  if (!named) return undefined;
  let proxy: URL;
  try {
    proxy = new URL(named);
  } catch {
    return undefined;
  }
  const where = err.hostname ?? err.address;
  const samePort = err.port === undefined || String(err.port) === defaultPort(proxy);
  return where === proxy.hostname && samePort ? proxy.host : undefined;
}

export function networkError(client: Reporter, call: Called, err: unknown, url: URL): CometError {
  const code = String((err as SocketError).code);
  const host = url.hostname;
  const port = defaultPort(url);
  const proxy = failedProxy(err as SocketError, url);
  const vars = { config: client.label, endpoint: call.endpoint, host, port, reason: code, proxy };
  let key = 'errors.network';
  if (proxy) key = 'errors.proxy';
  else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') key = 'errors.dns';
  else if (code === 'ECONNREFUSED') key = 'errors.refused';
  else if (/CERT|SELF_SIGNED|UNABLE_TO_|^ERR_TLS_|^ERR_SSL_/.test(code)) key = 'errors.tls';
  else if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED') key = 'errors.connectionLost';
  return CometError.network(client.t(key, vars), { endpoint: call.endpoint });
}

export function timeoutError(client: Reporter, call: Called, tries: number, timeoutMs: number = client.timeoutMs): CometError {
  return CometError.timeout(client.t('errors.timeout', { config: client.label, endpoint: call.endpoint, seconds: timeoutMs / 1000, tries, host: client.restRoot.host }),
    { endpoint: call.endpoint },
  );
}
