/**
 * Turns what a user types as "the Comet server" into the REST root, and reads
 * the server that newer API keys carry inside them.
 */

export const DEFAULT_SERVER = 'https://www.comet.com';
const REST_SUFFIX = 'api/rest/v2/';

/**
 * Accepts every form Comet's own tools and docs use:
 * `https://host`, `https://host/`, `https://host/clientlib/`,
 * `https://host/prefix/clientlib/`, `https://host/prefix/api/rest/v2`.
 * Returns the REST root with a trailing slash, or throws TypeError.
 */
export function restRootOf(server: string): URL {
  const url = new URL(server.trim());
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`unsupported protocol ${url.protocol}`);
  }
  url.search = '';
  url.hash = '';
  url.username = '';
  url.password = '';
  let path = url.pathname.replace(/\/+$/, '');
  path = path.replace(/\/api\/rest\/v2$/, '').replace(/\/clientlib$/, '');
  url.pathname = `${path}/${REST_SUFFIX}`;
  return url;
}

/**
 * Keys of the form `<key>*<base64 JSON>` may name their server as `baseUrl`.
 * Returns that server, or undefined for plain keys and anything unreadable.
 */
export function serverInApiKey(apiKey: string): string | undefined {
  const star = apiKey.indexOf('*');
  if (star < 0) return undefined;
  try {
    const json: unknown = JSON.parse(Buffer.from(apiKey.slice(star + 1), 'base64').toString('utf8'));
    if (json && typeof json === 'object' && 'baseUrl' in json) {
      const baseUrl = (json as { baseUrl: unknown }).baseUrl;
      if (typeof baseUrl === 'string' && /^https?:\/\//i.test(baseUrl)) return baseUrl;
    }
  } catch {
    // Not our format: the key is still sent as-is; only the server hint is lost.
  }
  return undefined;
}

/**
 * The server to use: the configured one unless it is blank or the default, in
 * which case COMET_URL_OVERRIDE, then the key's own server, then the default.
 */
export function chooseServer(configured: string | undefined, apiKey: string, env: NodeJS.ProcessEnv = process.env): string {
  const given = (configured ?? '').trim();
  if (given && restRootOf(given).href !== restRootOf(DEFAULT_SERVER).href) return given;
  const override = (env.COMET_URL_OVERRIDE ?? '').trim();
  if (override) return override;
  return serverInApiKey(apiKey) ?? DEFAULT_SERVER;
}
