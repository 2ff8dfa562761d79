import type { Readable } from 'node:stream';
import { readBody, type Answer } from '../client/answers';
import type { Call, CometClient } from '../client/client';
import { CometError, ERROR_CODES, isCometError } from '../client/errors';
import type { Translate } from '../client/translate';

/**
 * Reads the body into one Buffer, up to `limit` bytes: beyond it (announced
 * or counted) the msg fails and says to download to a file instead.
 * `t` reads the download node's own catalog.
 */
export async function readToBuffer(
  answer: Answer,
  body: Readable,
  limit: number,
  context: { client: CometClient; call: Call; t: Translate; onChunk: (bytes: number) => void },
): Promise<Buffer> {
  const { client, call, t, onChunk } = context;
  try {
    return await readBody({ ...answer, body }, { ...client.readContext(call, limit), onChunk });
  } catch (err) {
    if (isCometError(err) && err.code === ERROR_CODES.TOO_LARGE) {
      throw CometError.tooLarge(t('errors.bufferLimit', { endpoint: call.endpoint, limit: limit.toLocaleString('en-US') }), { endpoint: call.endpoint });
    }
    throw err;
  }
}
