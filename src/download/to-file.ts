import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { link, lstat, mkdir, rename, truncate, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { CometError } from '../client/errors';
import { isNetworkError } from '../client/failures';
import type { ResumePoint } from '../client/resume';
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
 * The temporary file of one download, kept across the attempts of a send: a
 * whole answer writes it from the start, a resumed one (206) appends at its
 * offset. Hidden, in the target's own folder, so the final rename is atomic.
 * A lost connection keeps the bytes written so far (told to the resume
 * point, for the next attempt to ask for the rest); any other failure
 * removes the file before the error goes on. Network errors go on unchanged,
 * for the client to retry.
 */
export class PartFile {
  readonly path: string;
  private created = false;

  constructor(
    folder: string,
    private readonly resume: ResumePoint,
  ) {
    this.path = join(folder, `.comet-download-${randomBytes(6).toString('hex')}.part`);
  }

  /** Streams `body` into the file from byte `offset`; the finished file is as long as announced. */
  async write(body: Readable, offset: number, options: StreamOptions): Promise<TempFile> {
    const file = await this.open(offset, options);
    const { cut, disk } = await copy(body, file, options.onChunk);
    const failure = disk === undefined ? (cut === undefined ? undefined : diskOrNetwork(options, this.path, cut)) : fileError(options, this.path, disk);
    if (failure !== undefined && isNetworkError(failure)) {
      this.resume.kept = offset + file.bytesWritten;
      throw failure;
    }
    if (failure !== undefined) {
      await this.remove();
      throw failure;
    }
    this.resume.kept = offset + file.bytesWritten;
    if (options.announced !== undefined && file.bytesWritten !== options.announced) {
      await this.remove();
      throw CometError.network(options.t('errors.shortBody', { endpoint: options.endpoint, bytes: file.bytesWritten, announced: options.announced }), {
        endpoint: options.endpoint,
      });
    }
    return { path: this.path, bytes: offset + file.bytesWritten };
  }

  /** Removes the file (nothing to resume from any more); one that is gone already, or was never made, is fine. */
  async remove(): Promise<void> {
    this.resume.kept = 0;
    if (this.created) await removeQuietly(this.path);
  }

  private async open(offset: number, ctx: FileContext): Promise<WriteStream> {
    if (offset > 0) {
      // Exactly the bytes kept, whatever an abandoned write left after them.
      await truncate(this.path, offset).catch((err: unknown) => {
        throw fileError(ctx, this.path, err);
      });
      return createWriteStream(this.path, { flags: 'r+', start: offset, highWaterMark: WRITE_BUFFER });
    }
    const flags = this.created ? 'w' : 'wx';
    this.created = true;
    return createWriteStream(this.path, { flags, highWaterMark: WRITE_BUFFER });
  }
}

/**
 * Copies `body` into `file` with backpressure and closes the file. When the
 * body fails (a cut, an abort), what arrived before is still written: every
 * byte the connection let through is kept for a resume. Resolves with the
 * body's error (`cut`) or the file's (`disk`), if any, once the file is closed.
 */
async function copy(body: Readable, file: WriteStream, onChunk: ((bytes: number) => void) | undefined): Promise<{ cut?: unknown; disk?: unknown }> {
  let disk: unknown;
  file.on('error', (err) => {
    disk ??= err;
  });
  const closed = new Promise<void>((resolve) => file.once('close', () => resolve()));
  let cut: unknown;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      onChunk?.(chunk.length);
      if (!file.write(chunk)) await Promise.race([once(file, 'drain'), closed]);
      if (disk !== undefined) break;
    }
  } catch (err) {
    cut = err;
  }
  file.end();
  await closed;
  return { cut, disk };
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
