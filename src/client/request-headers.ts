import { PACKAGE } from './package-info';

const USER_AGENT = `${PACKAGE.name}/${PACKAGE.version}`;

/**
 * The headers of a client's requests, and the key they carry to Comet: in a
 * true private field, so util.inspect or JSON of the client (a careless log
 * line) cannot show it.
 */
export class RequestHeaders {
  readonly #apiKey: string;
  /** A plain GET's headers by Accept value (they hold the key: private too). */
  readonly #plain = new Map<string, Readonly<Record<string, string>>>();

  constructor(apiKey: string) {
    this.#apiKey = apiKey;
  }

  /**
   * The headers of one request; the key only for Comet's own origin (`own`).
   * A GET to Comet without a range (nearly every request) shares one frozen
   * object per Accept value, made once: undici only reads it.
   */
  of(own: boolean, accept: string, range: Readonly<Record<string, string>> | undefined, post: boolean): Readonly<Record<string, string>> {
    const plain = own && !range && !post;
    const shared = plain ? this.#plain.get(accept) : undefined;
    if (shared) return shared;
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept, ...range };
    if (own) headers.authorization = this.#apiKey;
    if (post) headers['content-type'] = 'application/json';
    if (plain) this.#plain.set(accept, Object.freeze(headers));
    return headers;
  }
}
