import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import * as yauzl from 'yauzl';
import { CometError } from '../client/errors';
import { fileError, type FileContext } from './file-errors';

/** Bytes per read and write while unpacking: yauzl's own reader takes 16 KiB at a time, at three times the CPU. */
export const IO_CHUNK = 1024 * 1024;

/** The open zip: yauzl's view of it, and our reader of its bytes. */
export interface Archive {
  readonly zip: yauzl.ZipFile;
  readonly reader: ZipReader;
  readonly size: number;
}

export async function openZip(zipPath: string, options: FileContext): Promise<Archive> {
  let handle: FileHandle;
  try {
    handle = await open(zipPath, 'r');
  } catch (err) {
    throw fileError(options, zipPath, err);
  }
  const reader = new ZipReader(zipPath, handle);
  try {
    const { size } = await handle.stat();
    const zip = await yauzl.fromRandomAccessReaderPromise(reader, size, { autoClose: false, validateEntrySizes: true, decodeStrings: true });
    return { zip, reader, size };
  } catch (err) {
    reader.close(() => undefined);
    throw badArchive(options, 'errors.notZip', { reason: (err as Error).message });
  }
}

/** The zip file for yauzl: its central directory read in place, each entry streamed in IO_CHUNK reads. */
class ZipReader extends yauzl.RandomAccessReader {
  private closed = false;

  constructor(
    private readonly path: string,
    private readonly handle: FileHandle,
  ) {
    super();
  }

  // An entry's own stream, on its own descriptor: yauzl destroys it when done, which closes it.
  override _readStreamForRange(start: number, end: number): Readable {
    return createReadStream(this.path, { start, end: end - 1, highWaterMark: IO_CHUNK });
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null) => void): void {
    this.readFully(buffer, offset, length, position).then(
      () => callback(null),
      (err: Error) => callback(err),
    );
  }

  async readFully(buffer: Buffer, offset: number, length: number, position: number): Promise<void> {
    for (let done = 0; done < length; ) {
      const { bytesRead } = await this.handle.read(buffer, offset + done, length - done, position + done);
      if (bytesRead === 0) throw new Error('unexpected end of the zip file');
      done += bytesRead;
    }
  }

  // Never fails: yauzl reports a failed close as an 'error' event nobody listens to.
  override close(callback: (err: Error | null) => void): void {
    if (this.closed) return callback(null);
    this.closed = true;
    this.handle.close().then(
      () => callback(null),
      () => callback(null),
    );
  }
}

/** A COMET_BAD_ARCHIVE error in the download node's words. */
export function badArchive(options: FileContext, key: string, vars: Record<string, unknown>): CometError {
  return CometError.badArchive(options.t(key, { endpoint: options.endpoint, ...vars }), { endpoint: options.endpoint });
}
