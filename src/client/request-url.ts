/**
 * Where one request goes, as undici takes it (the origin, and the path with
 * its query) and as a URL, which is made only when something asks for it: a
 * redirect, a resumed download, an error message or a file name. Parsing the
 * URL and appending the query through its searchParams cost more CPU than
 * anything else the client does for a small call.
 */
export class RequestUrl {
  #url: URL | undefined;

  private constructor(
    readonly origin: string,
    /** The pathname and the search, as in the URL. */
    readonly path: string,
    url?: URL,
  ) {
    this.#url = url;
  }

  static of(url: URL): RequestUrl {
    return new RequestUrl(url.origin, url.pathname + url.search, url);
  }

  get url(): URL {
    return (this.#url ??= new URL(this.path, this.origin));
  }

  /**
   * `path` (relative, already checked to hold no dot segment, scheme, query
   * or leading slash) under `root` (a REST root: no query, a trailing slash),
   * with `query` appended as URLSearchParams appends it: the same URL, to the
   * byte, as `new URL(path, root)` with each entry appended to its
   * searchParams. Text the parser or the encoder would change goes through
   * them; the rest is joined as it is. Undefined when the URL is not under
   * `root` (a plain relative path always is).
   */
  static under(root: URL, path: string, query: Readonly<Record<string, string>> | undefined): RequestUrl | undefined {
    const names = query ? Object.keys(query) : [];
    if (!PLAIN_PATH.test(path)) {
      const url = new URL(path, root);
      if (!url.href.startsWith(root.href)) return undefined;
      for (const name of names) url.searchParams.append(name, (query as Record<string, string>)[name]);
      return RequestUrl.of(url);
    }
    let search = '';
    for (const name of names) {
      const value = (query as Record<string, string>)[name];
      const pair = PLAIN_QUERY.test(name) && PLAIN_QUERY.test(value) ? `${name}=${value}` : new URLSearchParams([[name, value]]).toString();
      search += search ? `&${pair}` : `?${pair}`;
    }
    return new RequestUrl(root.origin, root.pathname + path + search);
  }
}

/** Characters the URL parser keeps as they are in a path (no percent-encoding, no backslash turned into a slash). */
const PLAIN_PATH = /^[\w\-.~!$&'()*+,;=:@/%]*$/;

/** Characters URLSearchParams writes as they are. */
const PLAIN_QUERY = /^[\w*.-]*$/;
