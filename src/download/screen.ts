import { Readable } from 'node:stream';
import { headerValue, isJsonType, refuseHtml, type Answer } from '../client/answers';
import type { Call, CometClient } from '../client/client';
import { CometError } from '../client/errors';
import { subjectText } from '../client/failures';
import type { Translate } from '../client/translate';

/** Comet's note is a few hundred bytes; a JSON answer longer than this is the file itself. */
const NOTE_LIMIT = 64 * 1024;
/** The fields of Comet's error body; a JSON file with other fields is not a note. */
const NOTE_FIELDS: ReadonlySet<string> = new Set(['msg', 'code', 'data', 'sdk_error_code', 'version', 'logMsg', 'params']);

/**
 * Checks that a 2xx answer is the file, not something in its place, and
 * returns the body to read. From Comet's own origin, a web page (a proxy's or
 * a login page) and Comet's JSON note (`{"msg": "no asset...", "code": 200}`
 * with HTTP 200) fail clearly instead of landing on disk. What a storage
 * host answers after a redirect is the file as uploaded, whatever its type.
 */
export async function screenAnswer(answer: Answer, client: CometClient, call: Call, t: Translate): Promise<Readable> {
  if (answer.origin !== client.restRoot.origin) return answer.body;
  refuseHtml(answer, client.readContext(call));
  if (!isJsonType(headerValue(answer.headers, 'content-type'))) return answer.body;
  const { head, rest } = await peek(answer.body, NOTE_LIMIT);
  if (rest) return rest;
  const note = noteOf(head);
  if (note) {
    throw CometError.notFound(t('errors.note', { subject: subjectText(call) || call.endpoint, endpoint: call.endpoint, msg: note.msg }), {
      endpoint: call.endpoint,
      statusCode: answer.statusCode,
      sdkErrorCode: typeof note.sdk_error_code === 'number' && note.sdk_error_code !== 0 ? note.sdk_error_code : undefined,
      cometMessage: note.msg,
    });
  }
  return Readable.from([head], { objectMode: false });
}

interface Note {
  msg: string;
  sdk_error_code?: unknown;
}

function noteOf(bytes: Buffer): Note | undefined {
  try {
    const body: unknown = JSON.parse(bytes.toString('utf8'));
    if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
    const note = body as Record<string, unknown>;
    return typeof note.msg === 'string' && Object.keys(note).every((key) => NOTE_FIELDS.has(key)) ? (note as unknown as Note) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads the body until it ends (`head` is all of it) or passes `limit`
 * (`rest` streams everything, the bytes read so far first).
 */
async function peek(body: Readable, limit: number): Promise<{ head: Buffer; rest?: Readable }> {
  const chunks: Buffer[] = [];
  let size = 0;
  const iterator = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  while (size <= limit) {
    const next = await iterator.next();
    if (next.done) return { head: Buffer.concat(chunks, size) };
    chunks.push(next.value);
    size += next.value.length;
  }
  return { head: Buffer.alloc(0), rest: Readable.from(resume(chunks, iterator), { objectMode: false }) };
}

async function* resume(read: Buffer[], iterator: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  try {
    yield* read;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  } finally {
    // Ending early (a failure downstream) releases the connection.
    await iterator.return?.();
  }
}
