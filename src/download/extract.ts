import { createWriteStream } from 'node:fs';
import { lstat, mkdir, mkdtemp, open, realpath, rename, statfs, type FileHandle } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import type * as yauzl from 'yauzl';
import { CometError } from '../client/errors';
import { formatBytes, hasControlCharacters } from '../text/format';
import { fileError, removeQuietly, type FileContext } from './file-errors';
import { IO_CHUNK, badArchive, openZip, type Archive } from './zip-archive';
import type { ExtractLimits } from './settings';

/** One file written, as msg.payload lists it. */
export interface ExtractedFile {
  /** Relative to the folder, with `/` separators, as the zip names it. */
  readonly path: string;
  readonly size: number;
}

export interface ExtractOptions extends FileContext {
  readonly limits: ExtractLimits;
  /** Replace files that exist in the folder; off: fail before moving any. */
  readonly overwrite: boolean;
  readonly signal: AbortSignal;
  /** Told how many files are unpacked so far. */
  readonly onFile?: (count: number) => void;
}

// Unix file types in the high 16 bits of an entry's external attributes.
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
/** Compression method 0: the entry's bytes are stored as they are. */
const STORED = 0;
/** Any folder will do to see where a name leads; nothing is written there. */
const NAME_ROOT = resolve('/zip-root');

/** Two buffers of IO_CHUNK bytes, reused for every stored entry. */
type Buffers = readonly [Buffer, Buffer];

/** An entry that passed every check, ready to unpack. */
interface Planned {
  readonly entry: yauzl.Entry;
  readonly name: string;
  readonly directory: boolean;
}

/**
 * Unpacks the zip at `zipPath` into `folder`. Every entry is checked before a
 * byte is written: names must stay inside the folder (yauzl refuses absolute
 * paths and `..`; we check again), no symlinks or other special files, no
 * encrypted entries, and the file count and unpacked size within the limits
 * and the free disk space (yauzl holds each entry to its declared size, and
 * we check its CRC). Files go to a temporary folder inside `folder` and are
 * moved into place only when all are complete; the temporary folder is
 * removed whatever happens.
 */
export async function extractZip(zipPath: string, folder: string, options: ExtractOptions): Promise<ExtractedFile[]> {
  const archive = await openZip(zipPath, options);
  let staging: string | undefined;
  try {
    const plan = await planEntries(archive.zip, options);
    await checkDiskSpace(folder, plan, options);
    staging = await makeStaging(folder, options);
    const files = await unpack(archive, plan, staging, options);
    await moveAll(plan, staging, folder, options);
    return files;
  } finally {
    archive.zip.close();
    if (staging) await removeQuietly(staging);
  }
}

/** Reads the central directory and checks every entry; refuses the whole archive on the first bad one. */
async function planEntries(zip: yauzl.ZipFile, options: ExtractOptions): Promise<Planned[]> {
  const { maxFiles, maxUnpackedBytes } = options.limits;
  const plan: Planned[] = [];
  const names = new Set<string>();
  let files = 0;
  let total = 0;
  const entries = zip.eachEntry();
  for (;;) {
    let next: IteratorResult<yauzl.Entry>;
    try {
      // yauzl refuses names that are absolute or climb out with "..".
      next = await entries.next();
    } catch (err) {
      throw badArchive(options, 'errors.unsafeArchive', { reason: (err as Error).message });
    }
    if (next.done) return plan;
    const entry = next.value;
    const name = entry.fileName.replace(/\/+$/, '');
    const type = (entry.externalFileAttributes >>> 16) & S_IFMT;
    const directory = entry.fileName.endsWith('/') || type === S_IFDIR;
    const unsafe = (reason: string): CometError => badArchive(options, 'errors.unsafeEntry', { name: entry.fileName, reason: options.t(`errors.entry.${reason}`) });
    if (!name || hasControlCharacters(name) || !isInside(NAME_ROOT, resolve(NAME_ROOT, name))) throw unsafe('outside');
    if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) throw unsafe('special');
    if (names.has(name)) throw unsafe('duplicate');
    names.add(name);
    if (!directory) {
      if (entry.isEncrypted() || !entry.canDecodeFileData()) throw unsafe('unsupported');
      if (++files > maxFiles) throw badArchive(options, 'errors.tooManyFiles', { limit: maxFiles.toLocaleString('en-US') });
      total += entry.uncompressedSize;
      if (total > maxUnpackedBytes) throw badArchive(options, 'errors.tooLargeUnpacked', { limit: maxUnpackedBytes.toLocaleString('en-US') });
    }
    plan.push({ entry, name, directory });
  }
}

/** Refuses an archive the disk cannot hold, before it fills the disk half-way. */
async function checkDiskSpace(folder: string, plan: readonly Planned[], options: ExtractOptions): Promise<void> {
  const needed = plan.reduce((sum, p) => sum + (p.directory ? 0 : p.entry.uncompressedSize), 0);
  let free: number;
  try {
    const stats = await statfs(folder);
    free = stats.bavail * stats.bsize;
  } catch {
    return; // No statfs here: the write itself reports a full disk.
  }
  if (needed > free) {
    throw CometError.fileError(options.t('errors.diskFull', { path: folder, needed: formatBytes(needed), free: formatBytes(free) }), {
      endpoint: options.endpoint,
    });
  }
}

async function makeStaging(folder: string, options: ExtractOptions): Promise<string> {
  try {
    return await mkdtemp(join(folder, '.comet-unpack-'));
  } catch (err) {
    throw fileError(options, folder, err);
  }
}

async function unpack(archive: Archive, plan: readonly Planned[], staging: string, options: ExtractOptions): Promise<ExtractedFile[]> {
  const files: ExtractedFile[] = [];
  const buffers: Buffers = [Buffer.allocUnsafe(IO_CHUNK), Buffer.allocUnsafe(IO_CHUNK)];
  for (const { entry, name, directory } of plan) {
    options.signal.throwIfAborted();
    const destination = join(staging, name);
    try {
      await mkdir(directory ? destination : dirname(destination), { recursive: true });
    } catch (err) {
      throw fileError(options, destination, err);
    }
    if (directory) continue;
    await unpackEntry(archive, entry, destination, buffers, options);
    files.push({ path: name, size: entry.uncompressedSize });
    options.onFile?.(files.length);
  }
  return files;
}

async function unpackEntry(archive: Archive, entry: yauzl.Entry, destination: string, buffers: Buffers, options: ExtractOptions): Promise<void> {
  let crc: number;
  try {
    crc = entry.compressionMethod === STORED ? await copyStored(archive, entry, destination, buffers, options) : await inflate(archive.zip, entry, destination, options.signal);
  } catch (err) {
    if (options.signal.aborted) throw options.signal.reason;
    if (err instanceof CometError) throw err;
    // Errors of the file system carry the call that failed; yauzl's and zlib's are the archive's.
    if ((err as { syscall?: unknown }).syscall) throw fileError(options, destination, err);
    throw badArchive(options, 'errors.corruptEntry', { name: entry.fileName, reason: (err as Error).message });
  }
  if (crc >>> 0 !== entry.crc32 >>> 0) throw badArchive(options, 'errors.corruptEntry', { name: entry.fileName, reason: 'CRC-32 mismatch' });
}

/**
 * A stored entry is its bytes as they are: copied through two reused buffers,
 * one read while the other is written. Streams would allocate a new buffer
 * per chunk, and the garbage collection that sets off in Node-RED's heap
 * costs more than the copy itself.
 */
async function copyStored(archive: Archive, entry: yauzl.Entry, destination: string, buffers: Buffers, options: ExtractOptions): Promise<number> {
  const { fileDataStart } = await archive.zip.readLocalFileHeaderPromise(entry, { minimal: true });
  const size = entry.uncompressedSize;
  if (entry.compressedSize !== size || fileDataStart + size > archive.size) throw new Error('the entry does not fit in the archive');
  const readInto = async (buffer: Buffer, from: number): Promise<Buffer> => {
    const length = Math.min(buffer.length, size - from);
    await archive.reader.readFully(buffer, 0, length, fileDataStart + from);
    return buffer.subarray(0, length);
  };
  const out = await open(destination, 'wx');
  let crc = 0;
  let reading = size > 0 ? readInto(buffers[0], 0) : undefined;
  try {
    for (let done = 0, turn = 1; reading; turn ^= 1) {
      const chunk = await reading;
      done += chunk.length;
      reading = done < size ? readInto(buffers[turn], done) : undefined;
      options.signal.throwIfAborted();
      crc = crc32(chunk, crc);
      await writeFully(out, chunk, done - chunk.length);
    }
  } finally {
    await reading?.catch(() => undefined);
    await out.close();
  }
  return crc;
}

/** Writes all of `data` at `position` (a write may take only part of it). */
async function writeFully(handle: FileHandle, data: Buffer, position: number): Promise<void> {
  for (let done = 0; done < data.length; ) done += (await handle.write(data, done, data.length - done, position + done)).bytesWritten;
}

/** A compressed entry, inflated by yauzl (which holds it to its declared size); returns its CRC-32. */
async function inflate(zip: yauzl.ZipFile, entry: yauzl.Entry, destination: string, signal: AbortSignal): Promise<number> {
  let crc = 0;
  const source = await zip.openReadStreamPromise(entry);
  const copied = pipeline(source, createWriteStream(destination, { flags: 'wx', highWaterMark: IO_CHUNK }), { signal });
  source.on('data', (chunk: Buffer) => {
    crc = crc32(chunk, crc);
  });
  await copied;
  return crc;
}

/**
 * Moves the unpacked files from the staging folder into `folder`. Without
 * overwrite, every name is checked first, so either all files move or none.
 * A folder on the way that is a symlink out of `folder` stops the move.
 */
async function moveAll(plan: readonly Planned[], staging: string, folder: string, options: ExtractOptions): Promise<void> {
  const root = await realpath(folder);
  if (!options.overwrite) {
    for (const { name, directory } of plan) {
      if (!directory && (await present(join(folder, name)))) {
        throw CometError.fileError(options.t('errors.exists', { path: join(folder, name) }), { endpoint: options.endpoint });
      }
    }
  }
  const checked = new Set<string>();
  for (const { name, directory } of plan) {
    const target = join(folder, name);
    const parent = directory ? target : dirname(target);
    try {
      await mkdir(parent, { recursive: true });
      if (!checked.has(parent)) {
        if (!isInside(root, await realpath(parent))) throw badArchive(options, 'errors.unsafeEntry', { name, reason: options.t('errors.entry.symlinked') });
        checked.add(parent);
      }
      if (!directory) await rename(join(staging, name), target);
    } catch (err) {
      throw err instanceof CometError ? err : fileError(options, target, err);
    }
  }
}

async function present(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
