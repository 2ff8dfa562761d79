/**
 * Remembers keys for a while: `seen(key)` is true when the same key came
 * within the window. Expired keys are dropped as time passes, and the oldest
 * go first past `maxKeys`, so a flood cannot grow it without bound.
 */
export class DedupWindow {
  /** Key -> when it stops counting; a Map keeps insertion order, oldest first. */
  private readonly until = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys = 10_000,
  ) {}

  /** True for a repeat within the window; otherwise records the key and returns false. */
  seen(key: string, now: number = Date.now()): boolean {
    for (const [old, expires] of this.until) {
      if (expires > now) break;
      this.until.delete(old);
    }
    if ((this.until.get(key) ?? 0) > now) return true;
    this.until.set(key, now + this.windowMs);
    if (this.until.size > this.maxKeys) this.until.delete(this.until.keys().next().value as string);
    return false;
  }
}
