import type { IncomingHttpHeaders } from 'node:http';
import { finished, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { CometError } from './errors';
import type { Translate } from './translate';

/** A successful (2xx) answer whose body is not read yet. */
export interface Answer {
  readonly statusCode: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Readable & { dump?(opts?: { limit: number }): Promise<void> };
  /** Where the bytes came from (after redirects). */
  readonly url: URL;
  /** The origin of `url`, to compare without making the URL. */
  readonly origin: string;
  /** A resumed download (206): the byte of the file this body starts at. Absent: the whole body. */
  readonly offset?: number;
}

/** An answer as the client hands it on: its URL is made only if something asks (a redirect, a file name, an error). */
export class ServerAnswer implements Answer {
  constructor(
    readonly statusCode: number,
    readonly headers: IncomingHttpHeaders,
    readonly body: Answer['body'],
    private readonly where: { readonly origin: string; readonly url: URL },
    readonly offset?: number,
  ) {}

  get origin(): string {
    return this.where.origin;
  }

  get url(): URL {
    return this.where.url;
  }
}

/** What an answer is read for: the endpoint's name for messages, and limits. */
export interface ReadContext {
  readonly endpoint: string;
  readonly maxBytes: number;
  readonly t: Translate;
  /** Told the size of each chunk as it arrives (download progress). */
  readonly onChunk?: (bytes: number) => void;
}

/** Comet's error body, also sent with HTTP 200 by some raw endpoints. */
export interface CometErrorBody {
  msg?: string;
  code?: number;
  sdk_error_code?: number;
  data?: unknown;
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

type TypeKind = 'json' | 'html' | 'other';

/**
 * The last Content-Type value read, and what it is: nearly every answer has
 * the same one, and each answer is asked about it twice (a web page? JSON?).
 */
let lastType: string | undefined;
let lastKind: TypeKind = 'other';

function kindOf(contentType: string | undefined): TypeKind {
  if (!contentType) return 'other';
  if (contentType !== lastType) {
    const type = contentType.trim();
    lastKind = /^application\/([\w.+-]+\+)?json\b/i.test(type) ? 'json' : /^(text\/html|application\/xhtml)/i.test(type) ? 'html' : 'other';
    lastType = contentType;
  }
  return lastKind;
}

export function isJsonType(contentType: string | undefined): boolean {
  return kindOf(contentType) === 'json';
}

function isHtmlType(contentType: string | undefined): boolean {
  return kindOf(contentType) === 'html';
}

/**
 * Drops a body nobody will read, closing its connection. undici reports the
 * drop as an 'error' on the stream; with no reader that error would be an
 * uncaught exception and stop Node-RED, so it is swallowed here.
 */
export function discard(answer: Pick<Answer, 'body'>): void {
  answer.body.on('error', () => {});
  answer.body.destroy();
}

/** Reads the whole body, failing once it passes `maxBytes`. */
export async function readBody(answer: Answer, ctx: ReadContext): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const size = await eachChunk(answer, ctx, (chunk) => chunks.push(chunk));
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
}

/**
 * The whole body as UTF-8 text, decoded chunk by chunk as it arrives, so a
 * big JSON answer is never held as bytes and as text at once: the chunks,
 * their concatenation and the text were three copies of a 250 MB chart. A
 * body of one chunk (most answers) is decoded once at its end, with no
 * decoder: the same text, made for less.
 */
function readText(answer: Answer, ctx: ReadContext): Promise<string> {
  let first: Buffer | undefined;
  let decoder: StringDecoder | undefined;
  const parts: string[] = [];
  const take = (chunk: Buffer): void => {
    if (!decoder) {
      if (!first) {
        first = chunk;
        return;
      }
      decoder = new StringDecoder('utf8');
      parts.push(decoder.write(first));
      first = undefined;
    }
    parts.push(decoder.write(chunk));
  };
  return eachChunk(answer, ctx, take).then(() => {
    if (!decoder) return first ? first.toString('utf8') : '';
    const tail = decoder.end();
    if (tail) parts.push(tail);
    return parts.length === 1 ? parts[0] : parts.join('');
  });
}

/**
 * Hands each chunk of the body to `take`, failing once the total passes
 * `maxBytes`; resolves with the total. The chunks come through 'data'
 * listeners, not an async iterator, which for a small answer cost as much as
 * reading and parsing it: the iterator's stream watching and a promise per
 * chunk. It ends as the iterator would: with the stream's error, or with the
 * premature-close error of a stream closed before its end.
 */
export function eachChunk(answer: Pick<Answer, 'headers' | 'body'>, ctx: ReadContext, take: (chunk: Buffer) => void): Promise<number> {
  const announced = Number(headerValue(answer.headers, 'content-length'));
  if (Number.isFinite(announced) && announced > ctx.maxBytes) {
    discard(answer);
    return Promise.reject(tooLarge(ctx, announced));
  }
  const { body } = answer;
  // Already over (an iterator would read nothing more): it ended, or it failed.
  if (body.destroyed || body.readableEnded) return new Promise((resolve, reject) => finished(body, (err) => (err ? reject(err) : resolve(0))));
  return new Promise((resolve, reject) => {
    let size = 0;
    const stop = (): void => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      body.off('close', onClose);
    };
    const onError = (err: unknown): void => {
      stop();
      reject(err);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      try {
        if (size > ctx.maxBytes) throw tooLarge(ctx, size);
        take(chunk);
        ctx.onChunk?.(chunk.length);
      } catch (err) {
        onError(err);
        discard(answer);
      }
    };
    const onEnd = (): void => {
      stop();
      resolve(size);
    };
    // Closed with neither its end nor an error: finished() names it as the iterator does.
    const onClose = (): void => {
      finished(body, (err) => onError(err));
    };
    body.on('data', onData);
    body.on('end', onEnd);
    body.on('error', onError);
    body.on('close', onClose);
    body.resume();
  });
}

function tooLarge(ctx: ReadContext, size: number): CometError {
  return CometError.tooLarge(ctx.t('errors.tooLarge', { endpoint: ctx.endpoint, size, limit: ctx.maxBytes }), {
    endpoint: ctx.endpoint,
  });
}

function unexpected(ctx: ReadContext, key: string, vars: Record<string, unknown> = {}, statusCode?: number): CometError {
  return CometError.unexpectedAnswer(ctx.t(key, { endpoint: ctx.endpoint, ...vars }), { endpoint: ctx.endpoint, statusCode });
}

/** Refuses an answer that is a web page: a proxy's, a login page, a wrong URL. */
export function refuseHtml(answer: Answer, ctx: ReadContext): void {
  const type = headerValue(answer.headers, 'content-type');
  if (isHtmlType(type)) {
    discard(answer);
    throw unexpected(ctx, 'errors.htmlAnswer', { host: answer.url.host }, answer.statusCode);
  }
}

/** A JSON endpoint's answer, parsed; anything but JSON is an error. */
export async function readJson(answer: Answer, ctx: ReadContext): Promise<unknown> {
  refuseHtml(answer, ctx);
  const type = headerValue(answer.headers, 'content-type');
  if (!isJsonType(type)) {
    discard(answer);
    throw unexpected(ctx, 'errors.notJson', { type: type ?? 'none' }, answer.statusCode);
  }
  const text = await readText(answer, ctx);
  try {
    return JSON.parse(text);
  } catch {
    throw unexpected(ctx, 'errors.badJson', {}, answer.statusCode);
  }
}

/** A raw endpoint's answer: bytes, or Comet's "nothing here" JSON note. */
export type RawResult = { bytes: Buffer } | { empty: string };

export async function readRaw(answer: Answer, ctx: ReadContext): Promise<RawResult> {
  refuseHtml(answer, ctx);
  const bytes = await readBody(answer, ctx);
  if (isJsonType(headerValue(answer.headers, 'content-type'))) {
    const note = parseErrorBody(bytes);
    if (note?.msg !== undefined) return { empty: note.msg };
  }
  return { bytes };
}

/** Comet's JSON error body, when the bytes are one. */
export function parseErrorBody(bytes: Buffer): CometErrorBody | undefined {
  try {
    const body: unknown = JSON.parse(bytes.toString('utf8'));
    if (body && typeof body === 'object' && !Array.isArray(body) && ('msg' in body || 'sdk_error_code' in body)) {
      return body as CometErrorBody;
    }
  } catch {
    // Not JSON: the status alone tells what happened.
  }
  return undefined;
}
