/**
 * The names nearest to a mistyped one, by edit distance (Levenshtein: the
 * fewest inserted, deleted or changed characters), case ignored.
 */

export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** Suggested at most. */
const MAX_NEAREST = 3;

/**
 * The candidates closest to `typed`, closest first: those within a third of
 * its length (at least 2 edits) or holding it whole; the few nearest
 * otherwise, so a message can always name some.
 */
export function nearest<T>(typed: string, candidates: readonly T[], nameOf: (candidate: T) => string): T[] {
  const wanted = typed.toLowerCase();
  const scored = candidates.map((candidate, index) => {
    const name = nameOf(candidate).toLowerCase();
    const holds = Math.min(name.length, wanted.length) >= 3 && (name.includes(wanted) || wanted.includes(name));
    const distance = holds ? Math.min(1, Math.abs(name.length - wanted.length)) : editDistance(wanted, name);
    return { candidate, distance, index };
  });
  scored.sort((a, b) => a.distance - b.distance || a.index - b.index);
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  const close = scored.filter((s) => s.distance <= limit);
  return (close.length ? close : scored).slice(0, MAX_NEAREST).map((s) => s.candidate);
}
