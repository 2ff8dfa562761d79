import type { ConnectionOptions } from 'node:tls';
import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';

/**
 * The connection pool, through the proxy the environment names:
 * EnvHttpProxyAgent reads HTTP_PROXY, HTTPS_PROXY and NO_PROXY (either case)
 * as Node-RED's http request node does. With neither proxy variable set it
 * sends every request to a plain Agent made with the same options, whatever
 * NO_PROXY says; that Agent is made here directly, since the proxy agent
 * parses each request's origin and reads NO_PROXY from the environment for
 * every request only to choose it.
 */
export function dispatcherFor(connections: number, tls: ConnectionOptions | undefined): Dispatcher {
  const pool = { connections, keepAliveTimeout: 30_000, connect: tls ? { ...tls } : undefined };
  const env = process.env;
  if (!(env.http_proxy ?? env.HTTP_PROXY) && !(env.https_proxy ?? env.HTTPS_PROXY)) return new Agent(pool);
  return new EnvHttpProxyAgent({
    ...pool,
    // Through a proxy the TLS to Comet runs inside the CONNECT tunnel, and
    // undici's proxy agent takes its options from requestTls, not connect.
    requestTls: tls ? { ...tls } : undefined,
    // A CONNECT tunnel for plain http:// too, as undici 7 did: undici 8 would
    // forward such a request to the proxy, key and all, in absolute form.
    proxyTunnel: true,
  });
}
