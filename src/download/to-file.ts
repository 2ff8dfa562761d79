import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { link, lstat, mkdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CometError } from '../client/errors';
import { diskOrNetwork, fileError, removeQuietly, type FileContext } from './file-errors';

/** Bytes the file stream gathers before it writes: fewer, larger writes. */
const WRITE_BUFFER = 1024 * 1024;

export interface StreamOptions extends FileContext {
  /** The length the server announced (Content-Length), checked at the end. */
  readonly announced?: number;
  readonly onChunk?: (bytes: number) => void;
}

/** A finished temporary file: complete, and as long as announced. */
export interface TempFile {
  readonly path: string;
  readonly bytes: number;
}

/** Creates `folder` and its parents; a FILE_ERROR when it cannot. */
export async function prepareFolder(ctx: FileContext, folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
  } catch (err) {
    throw fileError(ctx, folder, err);
  }
}

/**
 * Streams `body` into a new hidden temporary file in `folder` (the target's
 * own folder, so the final rename is atomic). On any failure, including a
 * body shorter than announced, the temporary file is removed before the
 * error goes on; network errors go on unchanged, for the client to retry.
 */
export async function streamToTempFile(body: Readable, folder: string, options: StreamOptions): Promise<TempFile> {
  const path = join(folder, `.comet-download-${randomBytes(6).toString('hex')}.part`);
  const file = createWriteStream(path, { flags: 'wx', highWaterMark: WRITE_BUFFER });
  try {
    const copied = pipeline(body, file);
    // After pipeline() has piped: a 'data' listener added before would start the flow early.
    if (options.onChunk) body.on('data', (chunk: Buffer) => options.onChunk?.(chunk.length));
    await copied;
  } catch (err) {
    await removeQuietly(path);
    throw diskOrNetwork(options, path, err);
  }
  if (options.announced !== undefined && file.bytesWritten !== options.announced) {
    await removeQuietly(path);
    throw CometError.network(options.t('errors.shortBody', { endpoint: options.endpoint, bytes: file.bytesWritten, announced: options.announced }), {
      endpoint: options.endpoint,
    });
  }
  return { path, bytes: file.bytesWritten };
}

/** Fails early when `target` exists and must not be replaced: nothing is downloaded in vain. */
export async function refuseExisting(ctx: FileContext, target: string): Promise<void> {
  if (await exists(target)) throw existsError(ctx, target);
}

/**
 * Moves a finished temporary file to `target`. Replacing is one rename, so a
 * reader sees the old file or the new one, never a half-written one. Without
 * overwrite, a hard link claims the name only if it is free (no race with
 * another writer); where the file system has no hard links, a check then a
 * rename. The temporary file is removed whatever happens.
 */
export async function moveIntoPlace(ctx: FileContext, temp: string, target: string, overwrite: boolean): Promise<void> {
  try {
    if (overwrite) await rename(temp, target);
    else await claim(ctx, temp, target);
  } catch (err) {
    throw err instanceof CometError ? err : fileError(ctx, target, err);
  } finally {
    await removeQuietly(temp);
  }
}

async function claim(ctx: FileContext, temp: string, target: string): Promise<void> {
  try {
    await link(temp, target);
    await unlink(temp);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'EEXIST') throw existsError(ctx, target);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw err;
    await refuseExisting(ctx, target);
    await rename(temp, target);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

function existsError(ctx: FileContext, target: string): CometError {
  return CometError.fileError(ctx.t('errors.exists', { path: target }), { endpoint: ctx.endpoint });
}
