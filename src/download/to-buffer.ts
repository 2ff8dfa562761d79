import type { Readable } from 'node:stream';
import { eachChunk, type Answer } from '../client/answers';
import type { Call, CometClient } from '../client/client';
import { CometError, ERROR_CODES, isCometError } from '../client/errors';
import type { ResumePoint } from '../client/resume';
import type { Translate } from '../client/translate';

/** What reading into memory needs: the call (for messages), the download node's catalog, progress. */
export interface BufferContext {
  readonly client: CometClient;
  readonly call: Call;
  readonly t: Translate;
  readonly onChunk: (bytes: number) => void;
}

/**
 * The bytes of one download held in memory across the attempts of a send:
 * a resumed answer (206) adds to those an earlier attempt got before its
 * connection was lost, a whole answer starts them over. Every chunk that
 * arrived is kept, so the resume point learns of each at once.
 */
export class BufferParts {
  private chunks: Buffer[] = [];

  constructor(private readonly resume: ResumePoint) {}

  /**
   * Reads `body` (the answer's, or what screening left of it) up to `limit`
   * bytes in all: beyond it (announced or counted) the msg fails and says to
   * download to a file instead. Resolves with the whole file.
   */
  async read(answer: Answer, body: Readable, limit: number, context: BufferContext): Promise<Buffer> {
    const { client, call, t, onChunk } = context;
    const offset = answer.offset ?? 0;
    if (offset === 0) {
      this.chunks = [];
      this.resume.kept = 0;
    }
    const take = (chunk: Buffer): void => {
      this.chunks.push(chunk);
      this.resume.kept += chunk.length;
    };
    try {
      await eachChunk({ headers: answer.headers, body }, { ...client.readContext(call, limit - offset), onChunk }, take);
    } catch (err) {
      if (isCometError(err) && err.code === ERROR_CODES.TOO_LARGE) {
        throw CometError.tooLarge(t('errors.bufferLimit', { endpoint: call.endpoint, limit: limit.toLocaleString('en-US') }), { endpoint: call.endpoint });
      }
      throw err;
    }
    return this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.resume.kept);
  }
}
