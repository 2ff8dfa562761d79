import type { MemoryStore } from './memory-store';

/** How one kind of watch writes what it has seen as plain JSON, and reads it back. */
export interface MemoryForm<Memory> {
  /** Changed whenever the stored shape changes: a memory of another format is not read. */
  readonly format: number;
  /** The memory as plain JSON fields (a file store writes them as they are). */
  write(memory: Memory): Record<string, unknown>;
  /** The memory back from those fields; throws when they are not what `write` gives. */
  read(fields: Record<string, unknown>): Memory;
}

/**
 * What a watch has seen, kept in its store for one scope (a workspace and
 * model, a project): read once, at the first poll; written only when it
 * changed, and before the poll's findings are handed out, so that a restart
 * neither repeats a change nor misses one. A memory of another scope or
 * format, or one that cannot be read, counts as none: the watch starts afresh
 * rather than fail every poll.
 */
export class Remembered<Memory> {
  private loaded = false;
  private memory: Memory | undefined;
  /** The JSON of what the store holds now, to tell whether a poll changed it. */
  private kept: string | undefined;

  constructor(
    private readonly store: MemoryStore,
    private readonly scope: string,
    private readonly form: MemoryForm<Memory>,
  ) {}

  /** What was seen up to the last poll that was kept; undefined when nothing was. */
  async recall(): Promise<Memory | undefined> {
    if (!this.loaded) {
      this.memory = this.readStored(await this.store.read());
      this.kept = this.memory === undefined ? undefined : JSON.stringify(this.stored(this.memory));
      this.loaded = true;
    }
    return this.memory;
  }

  /** Keeps `next` as what was seen, writing the store only when its stored form differs. */
  async keep(next: Memory): Promise<void> {
    const stored = this.stored(next);
    const text = JSON.stringify(stored);
    if (text !== this.kept) await this.store.write(stored);
    this.kept = text;
    this.memory = next;
  }

  private stored(memory: Memory): Record<string, unknown> {
    return { format: this.form.format, scope: this.scope, ...this.form.write(memory) };
  }

  private readStored(value: unknown): Memory | undefined {
    if (!value || typeof value !== 'object') return undefined;
    const fields = value as Record<string, unknown>;
    if (fields.format !== this.form.format || fields.scope !== this.scope) return undefined;
    try {
      return this.form.read(fields);
    } catch {
      // Written by something else.
      return undefined;
    }
  }
}
