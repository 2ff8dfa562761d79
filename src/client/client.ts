import { errors, type Dispatcher } from 'undici';
import { AttemptAbort, AttemptFailure, isUndiciTimeout } from './attempt';
import { ServerAnswer, headerValue, isJsonType, readBody, readJson, readRaw, refuseHtml, type Answer, type RawResult, type ReadContext } from './answers';
import { dispatcherFor } from './dispatcher';
import { CometError } from './errors';
import { httpError, isNetworkError, networkError, timeoutError } from './failures';
import type { Translate } from './translate';
import { RequestBudget, type Budget } from './budget';
import { Limiter } from './limiter';
import { tuningOf, type ClientOptions, type Tuning } from './options';
import type { ResumePoint } from './resume';
import { RequestHeaders } from './request-headers';
import { RequestUrl } from './request-url';
import { RETRY_STATUSES, backoffMs, isRetryableNetworkError, serverRetryAfterMs, sleep } from './retry';
import { restRootOf } from './server-url';

/** One request as the nodes describe it; the client adds the server and the key. */
export interface Call {
  /** The catalogue's path of the endpoint, for messages (`experiment/metadata`). */
  readonly endpoint: string;
  readonly method: 'GET' | 'POST';
  /** Relative to the REST root, path parameters filled in. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** Identifiers asked for (experimentKey, modelName...), for "not found" messages. */
  readonly subject?: Readonly<Record<string, unknown>>;
}

export interface SendOptions {
  readonly signal?: AbortSignal;
  /**
   * `total`: the timeout covers the whole answer (JSON). `idle`: it covers the
   * wait for headers and each gap between chunks (downloads of any size).
   */
  readonly timeout?: 'total' | 'idle';
  /** Accept header; JSON by default. */
  readonly accept?: string;
  /** Ms for each attempt of this request instead of the config's timeout: the editor's lookups wait less. */
  readonly timeoutMs?: number;
  /** Told when the request must wait before it is sent: for the request budget, or for Comet's rate limit. */
  readonly onWait?: (wait: Wait) => void;
  /**
   * A download that may be resumed: an attempt cut after some bytes is
   * followed by one that asks for the rest, where the server takes ranges.
   * The consumer keeps `kept` up to date and appends when `answer.offset` > 0.
   */
  readonly resume?: ResumePoint;
}

/** Why and until when (ms since the epoch, an estimate for the budget) a request waits. */
export interface Wait {
  /** `budget`: the config's requests a minute; `rateLimit`: Comet answered HTTP 429. */
  readonly reason: 'budget' | 'rateLimit';
  readonly until: number;
}

/**
 * The SendOptions every request of one node shares (one object for all its
 * msgs and polls): the node's close signal, and whom to tell when a request
 * must wait (its status).
 */
export interface RequestOptions {
  readonly signal: AbortSignal;
  readonly onWait: (wait: Wait) => void;
}

/** Reads a 2xx answer. Throwing a network error from here retries the whole request. */
export type Consumer<T> = (answer: Answer) => Promise<T>;

const MAX_REDIRECTS = 5;
const ONCE = { once: true } as const;
const ERROR_BODY_LIMIT = 64 * 1024;

/**
 * One client per config node: a keep-alive connection pool (through the
 * proxy the environment names), a concurrency limit, timeouts, retries with
 * backoff, and Comet's answers and errors turned into values or CometErrors.
 */
export class CometClient {
  readonly restRoot: URL;
  readonly label: string;
  readonly t: Translate;
  /** Holds the key in a true private field: util.inspect or JSON of the client (a careless log line) cannot show it. */
  readonly #headers: RequestHeaders;
  /** restRoot's origin, read once: the key goes only there. */
  private readonly rootOrigin: string;
  private readonly options: Tuning;
  private readonly limiter: Limiter;
  /** Only with a rate: without one, a request pays for nothing but this field's check. */
  private readonly budget: Budget | undefined;
  private readonly dispatcher: Dispatcher;

  constructor(options: ClientOptions) {
    this.restRoot = restRootOf(options.server);
    this.rootOrigin = this.restRoot.origin;
    this.#headers = new RequestHeaders(options.apiKey);
    this.label = options.label;
    this.t = options.t;
    this.options = tuningOf(options);
    this.limiter = new Limiter(
      this.options.concurrency,
      this.options.maxQueued,
      () => CometError.queueFull(this.t('errors.queueFull', { max: this.options.maxQueued, config: this.label })),
    );
    const perMinute = this.options.ratePerMinute;
    this.budget = perMinute ? (options.sharedBudget?.(perMinute, this.restRoot.href) ?? new RequestBudget(perMinute)) : undefined;
    this.dispatcher = dispatcherFor(this.options.concurrency, options.tls);
  }

  get timeoutMs(): number {
    return this.options.timeoutMs;
  }

  private timeoutOf(options: SendOptions): number {
    return options.timeoutMs ?? this.options.timeoutMs;
  }

  /** A JSON endpoint: the parsed answer. */
  json(call: Call, options: SendOptions = {}): Promise<unknown> {
    return this.send(call, (answer) => readJson(answer, this.readContext(call)), options);
  }

  /** A raw endpoint read into memory: bytes, or Comet's "nothing here" note. */
  raw(call: Call, options: SendOptions = {}): Promise<RawResult> {
    return this.send(call, (answer) => readRaw(answer, this.readContext(call)), { accept: '*/*', ...options });
  }

  /** Whatever the endpoint gives (comet-request): parsed JSON when the answer says it is JSON, else its bytes. */
  any(call: Call, options: SendOptions = {}): Promise<unknown> {
    return this.send(
      call,
      async (answer) => {
        const ctx = this.readContext(call);
        if (isJsonType(headerValue(answer.headers, 'content-type'))) return readJson(answer, ctx);
        refuseHtml(answer, ctx);
        return readBody(answer, ctx);
      },
      { accept: 'application/json, */*;q=0.8', ...options },
    );
  }

  readContext(call: Call, maxBytes: number = this.options.maxAnswerBytes): ReadContext {
    return { endpoint: call.endpoint, maxBytes, t: this.t };
  }

  /**
   * Sends `call` when a slot is free, retrying what is worth retrying, and
   * hands a 2xx answer to `consume`. Rejects with a CometError, or with the
   * signal's reason once it aborts.
   */
  send<T>(call: Call, consume: Consumer<T>, options: SendOptions = {}): Promise<T> {
    // Not an async function, whose promise would wrap the limiter's in a few more turns; it still never throws.
    try {
      const url = this.urlOf(call);
      return this.limiter.run(options.signal, () => this.withRetries(url, call, consume, options));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Closes the pool: open sockets are destroyed so a redeploy leaves none behind. */
  async close(): Promise<void> {
    await this.dispatcher.destroy();
  }

  private urlOf(call: Call): RequestUrl {
    const path = call.path;
    // Dot segments and slashes count when percent-encoded too: a proxy may decode them.
    if (/^[a-z][a-z0-9+.-]*:|^[/\\]|(^|[/\\])(\.|%2e)(\.|%2e)?([/\\]|$)|[?#]|%2f|%5c/i.test(path)) {
      throw CometError.badInput(this.t('errors.badPath', { path }), { endpoint: call.endpoint });
    }
    const url = RequestUrl.under(this.restRoot, path, call.query);
    if (!url) throw CometError.badInput(this.t('errors.badPath', { path }), { endpoint: call.endpoint });
    return url;
  }

  private async withRetries<T>(url: RequestUrl, call: Call, consume: Consumer<T>, options: SendOptions): Promise<T> {
    const { resume, signal } = options;
    for (let retry = 0, tries = 1; ; tries++) {
      if (this.budget) await this.budgetTurn(this.budget, options);
      const kept = resume?.kept ?? 0;
      try {
        return await this.attempt(url, call, consume, options, tries);
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        if (!(err instanceof AttemptFailure)) throw err;
        // Bytes came before the cut: ask for the rest at once, without spending a retry.
        if (err.retryable && resume?.progressed(kept)) continue;
        if (!err.retryable || retry >= this.options.retries) throw err.error;
        const wait = err.retryAfterMs ?? backoffMs(retry, { baseMs: this.options.retryBaseMs, maxMs: this.options.retryMaxWaitMs });
        if (wait > this.options.retryMaxWaitMs) throw err.error;
        if (err.error.statusCode === 429) options.onWait?.({ reason: 'rateLimit', until: Date.now() + wait });
        await sleep(wait, signal);
        retry++;
      }
    }
  }

  /** Waits for the request's turn in the budget; the node hears until about when the queue as it stands has gone. */
  private async budgetTurn(budget: Budget, options: SendOptions): Promise<void> {
    const { onWait } = options;
    await budget.take(options.signal, onWait && ((until) => onWait({ reason: 'budget', until })), this.limiter.queued);
  }

  private async attempt<T>(first: RequestUrl, call: Call, consume: Consumer<T>, options: SendOptions, tries: number): Promise<T> {
    const controller = new AttemptAbort();
    const parent = options.signal;
    const onParentAbort = (): void => controller.abort(parent?.reason);
    parent?.addEventListener('abort', onParentAbort, ONCE);
    const total = options.timeout !== 'idle';
    const timeoutMs = this.timeoutOf(options);
    let timedOut = false;
    const timer = total
      ? setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, timeoutMs)
      : undefined;
    let answered = false;
    try {
      const answer = await this.follow(first, call, options, controller, tries);
      answered = true;
      return await consume(answer);
    } catch (err) {
      if (err instanceof AttemptFailure || parent?.aborted) throw err;
      if (timedOut || isUndiciTimeout(err)) {
        throw new AttemptFailure(timeoutError(this, call, tries, timeoutMs), !answered || isUndiciTimeout(err));
      }
      if (err instanceof CometError) throw new AttemptFailure(err, false);
      if (isNetworkError(err)) throw new AttemptFailure(networkError(this, call, err, first.url), isRetryableNetworkError(err));
      throw err;
    } finally {
      if (timer) clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    }
  }

  /**
   * Sends the request and follows redirects; the key goes only to Comet's own
   * origin. A resumed download starts where its bytes came from, asking for the rest.
   */
  private async follow(first: RequestUrl, call: Call, options: SendOptions, signal: AttemptAbort, tries: number): Promise<Answer> {
    const { resume } = options;
    const from = resume?.next(first.url);
    let at = from ? RequestUrl.of(from.url) : first;
    for (let hops = 0; ; hops++) {
      const post = call.method === 'POST' && hops === 0;
      const headers = this.#headers.of(at.origin === this.rootOrigin, options.accept ?? 'application/json', from?.range, post);
      // What undici would do with a signal already aborted (see AttemptAbort): a redirect's next request is not sent.
      if (signal.fired) throw signal.reason ?? new errors.RequestAbortedError();
      // The dispatcher's own request(), not undici's top-level request(url, opts): that
      // wrapper re-parses the URL and spreads the options on every request.
      const res = await this.dispatcher.request({
        origin: at.origin,
        path: at.path,
        method: post ? 'POST' : 'GET',
        headers,
        body: post ? JSON.stringify(call.body ?? {}) : undefined,
        // undici reads only what AttemptAbort has of a signal (see attempt.ts).
        signal: signal as unknown as AbortSignal,
        headersTimeout: this.timeoutOf(options),
        bodyTimeout: this.timeoutOf(options),
      });
      const location = res.headers.location;
      if (res.statusCode >= 300 && res.statusCode < 400 && typeof location === 'string' && call.method === 'GET' && hops < MAX_REDIRECTS) {
        await res.body.dump();
        at = RequestUrl.of(new URL(location, at.url));
        continue;
      }
      const offset = resume && res.statusCode >= 200 && res.statusCode < 300 ? resume.offsetOf(res.statusCode, res.headers, at.url, !!from?.range) : 0;
      const answer = new ServerAnswer(res.statusCode, res.headers, res.body, at, offset || undefined);
      if (offset !== undefined && res.statusCode >= 200 && res.statusCode < 300) return answer;
      const bytes = await readBody(answer, this.readContext(call, ERROR_BODY_LIMIT)).catch(() => Buffer.alloc(0));
      const error = httpError(this, call, res.statusCode, res.headers, bytes, tries);
      // A range refused (a storage link that expired, a 206 of other bytes) is asked for again, the whole file or through Comet.
      const refused = !!from?.range && res.statusCode >= 206 && res.statusCode !== 429 && res.statusCode < 500;
      if (refused) resume?.refused(first.url);
      const retryable = refused || RETRY_STATUSES.has(res.statusCode);
      throw new AttemptFailure(error, retryable, retryable ? serverRetryAfterMs(res.headers) : undefined);
    }
  }
}
