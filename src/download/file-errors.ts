import { rm } from 'node:fs/promises';
import { CometError } from '../client/errors';
import { isNetworkError } from '../client/failures';
import type { Translate } from '../client/translate';

/** System error codes the node's catalog explains in words (errors.reason.<code>). */
const EXPLAINED: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'EISDIR', 'ENOTDIR', 'EEXIST', 'EMFILE', 'ENAMETOOLONG']);

/** What a download writes, for messages: the file or folder and the endpoint. */
export interface FileContext {
  /** Reads the download node's own catalog. */
  readonly t: Translate;
  readonly endpoint: string;
}

/** A FILE_ERROR naming the path and, in words, why the system refused. */
export function fileError(ctx: FileContext, path: string, err: unknown): CometError {
  const code = (err as { code?: unknown })?.code;
  const reason = typeof code === 'string' && EXPLAINED.has(code) ? ctx.t(`errors.reason.${code}`) : typeof code === 'string' ? code : String((err as Error)?.message ?? err);
  return CometError.fileError(ctx.t('errors.file', { path, reason }), { endpoint: ctx.endpoint });
}

/**
 * An error met while the body streams to disk. The network's failures (which
 * the client retries from scratch), aborts and CometErrors pass unchanged;
 * anything else came from the disk and becomes a FILE_ERROR, so no raw
 * system error (whose `code` could look like a socket's) reaches the client.
 */
export function diskOrNetwork(ctx: FileContext, path: string, err: unknown): unknown {
  if (err instanceof CometError || isNetworkError(err) || (err as Error)?.name === 'AbortError') return err;
  return fileError(ctx, path, err);
}

/** Removes a temporary file or folder; one that is already gone is fine. */
export async function removeQuietly(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true }).catch(() => undefined);
}
