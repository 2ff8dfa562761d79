import type { TriggerMessage } from './event-id';
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
 * model, a project), with its outbox: the msgs of the changes it saw that
 * are not known to be sent yet. Read once, at the first poll. A poll keeps
 * what it saw and its msgs in one write, before any msg goes out; once they
 * were handed on, a second write empties the outbox. So a crash at any
 * moment, with a store that keeps each write (triggers/durable-file.ts),
 * neither repeats a change (what it saw was kept with its msgs) nor loses one
 * (msgs kept but not sent go out at the next poll, with their eventIds). The
 * one repeat left: msgs handed on in the moment before the outbox was
 * emptied go out again, with the same eventId, for a flow to drop.
 *
 * A memory of another scope or format, or one that cannot be read, counts
 * as none: the watch starts afresh rather than fail every poll.
 */
export class Remembered<Memory> {
  private loaded = false;
  private memory: Memory | undefined;
  /** The msgs kept but not yet known to be sent, oldest first. */
  private outbox: TriggerMessage[] = [];
  /** The JSON of what the store holds now, to tell whether a write changes it. */
  private kept: string | undefined;

  constructor(
    private readonly store: MemoryStore,
    private readonly scope: string,
    private readonly form: MemoryForm<Memory>,
  ) {}

  /** What was seen up to the last poll that was kept; undefined when nothing was. */
  async recall(): Promise<Memory | undefined> {
    if (!this.loaded) {
      const stored = await this.store.read();
      this.memory = this.readStored(stored);
      if (this.memory !== undefined) {
        this.outbox = outboxOf(stored as Record<string, unknown>);
        this.kept = JSON.stringify(this.stored(this.memory, this.outbox));
      }
      this.loaded = true;
    }
    return this.memory;
  }

  /**
   * Keeps `next` as what was seen and `messages` (its changes' msgs) in the
   * outbox, in one write when that changes what the store holds; resolves
   * with every msg to send now: those an earlier run kept and did not send
   * (after a crash), then `messages`.
   */
  async keep(next: Memory, messages: readonly TriggerMessage[]): Promise<readonly TriggerMessage[]> {
    const outbox = [...this.outbox, ...messages];
    await this.write(next, outbox);
    this.outbox = outbox;
    this.memory = next;
    return outbox;
  }

  /** The msgs `keep` gave were handed on: the outbox is emptied, in the store too. */
  async sent(): Promise<void> {
    if (!this.outbox.length || this.memory === undefined) return;
    // Emptied here first: a failed write must not send them again from this run.
    this.outbox = [];
    await this.write(this.memory, []);
  }

  private async write(memory: Memory, outbox: readonly TriggerMessage[]): Promise<void> {
    const text = JSON.stringify(this.stored(memory, outbox));
    if (text === this.kept) return;
    // A copy: the msgs go on to nodes that may change them, and a store that keeps objects (a memory store) must not see that.
    await this.store.write(JSON.parse(text));
    this.kept = text;
  }

  private stored(memory: Memory, outbox: readonly TriggerMessage[]): Record<string, unknown> {
    return { format: this.form.format, scope: this.scope, ...this.form.write(memory), ...(outbox.length && { outbox }) };
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

/** The kept msgs of a stored memory: those with an eventId. */
function outboxOf(fields: Record<string, unknown>): TriggerMessage[] {
  const { outbox } = fields;
  if (!Array.isArray(outbox)) return [];
  return outbox.filter((msg): msg is TriggerMessage => !!msg && typeof msg === 'object' && typeof (msg as Record<string, unknown>).eventId === 'string');
}
