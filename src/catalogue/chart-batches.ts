/**
 * experiments/multi-metric-chart names its experiments in the request body;
 * Comet documents no limit, so every caller (the report, the metric watch)
 * asks for them in batches of one size.
 */

/** Experiments per chart request. */
export const CHART_BATCH = 50;

/** `list` cut into batches of `size`, in order. */
export function batchesOf<T>(list: readonly T[], size = CHART_BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
