import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { MemoryStore } from './memory-store';

/**
 * A value kept as JSON in one file, each write on disk before it resolves:
 * written to a temporary file beside it, flushed to the disk (fsync), renamed
 * over the old one, and the folder flushed too, so that a crash or a power
 * cut at any moment leaves either the old value or the new one, whole.
 */
export class DurableFile implements MemoryStore {
  /** Where a write goes before its rename (one writer at a time: a watch's polls never overlap). */
  private readonly temporary: string;

  constructor(readonly file: string) {
    this.temporary = `${file}.tmp`;
  }

  /** The value last written; undefined when there is none, or it is not JSON. */
  async read(): Promise<unknown> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // Not written by write(): a rename cannot leave half a file.
      return undefined;
    }
  }

  async write(value: unknown): Promise<void> {
    const dir = path.dirname(this.file);
    await fs.mkdir(dir, { recursive: true });
    const handle = await fs.open(this.temporary, 'w');
    try {
      await handle.writeFile(JSON.stringify(value), 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(this.temporary, this.file);
    await syncFolder(dir);
  }

  /** Removes the file (and a temporary one a crash left), if there. */
  async remove(): Promise<void> {
    await Promise.all([fs.rm(this.file, { force: true }), fs.rm(this.temporary, { force: true })]);
  }
}

/** Makes a rename in `dir` last: the folder's own entry list flushed to the disk. */
async function syncFolder(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch (err) {
    // Windows cannot open a folder for flushing; its rename is durable by itself.
    if (!['EISDIR', 'EPERM', 'EACCES'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
  } finally {
    await handle?.close();
  }
}
