/**
 * One SVG line chart per metric: a line per reported experiment, nice axis
 * ticks, a legend, colours that stay apart (Tableau's ten, then dashes once
 * they repeat). Scales, ticks and paths come from d3-scale and d3-shape,
 * which are ES modules: compiled to require(), which loads them on every
 * Node the package supports (require() of ES modules, Node 20.19 and 22.12 on).
 * Text is set in the font the package ships (resources/fonts/), which
 * png.ts hands to the rasteriser; a browser without it takes the next family.
 */
import { scaleLinear, type ScaleLinear } from 'd3-scale';
import { line as linePath } from 'd3-shape';
import { escapeHtml } from './escape';
import type { Line } from './rows';

const WIDTH = 720;
const PLOT_HEIGHT = 300;
const MARGIN = { top: 36, right: 24, bottom: 44, left: 64 };
const LEGEND_ROW = 20;
const LEGEND_COLUMNS = 3;
/** The family of the font the package ships (resources/fonts/Roboto-Regular.ttf). */
export const CHART_FONT_FAMILY = 'Roboto';
const FONT = `font-family="${CHART_FONT_FAMILY}, system-ui, -apple-system, Segoe UI, sans-serif" font-size="12"`;
/** Tableau 10: distinct hues of similar weight, readable on white. */
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
const DASHES = ['', '6 3', '2 3', '8 3 2 3'];

/** [min, max] of every line's steps and values; a flat or empty range is widened so the scale has room. */
function extent(lines: readonly Line[], pick: (line: Line) => Float64Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const line of lines) {
    for (const v of pick(line)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (!Number.isFinite(lo)) return [0, 1];
  if (lo === hi) return [lo - (Math.abs(lo) || 1) / 2, hi + (Math.abs(hi) || 1) / 2];
  return [lo, hi];
}

/** The words a chart shows, in the runtime's language. */
export interface ChartWords {
  readonly step: string;
  readonly noValues: string;
}

function axisX(x: ScaleLinear<number, number>, y0: number, words: ChartWords): string {
  const ticks = x.ticks(8);
  const format = x.tickFormat(8);
  const marks = ticks.map((t) => `<g transform="translate(${x(t).toFixed(1)},${y0})"><line y2="5" stroke="#888"/><text y="18" text-anchor="middle">${escapeHtml(format(t))}</text></g>`);
  const [from, to] = x.range();
  return `<line x1="${from}" x2="${to}" y1="${y0}" y2="${y0}" stroke="#888"/>${marks.join('')}<text x="${(from + to) / 2}" y="${y0 + 36}" text-anchor="middle" fill="#555">${escapeHtml(words.step)}</text>`;
}

function axisY(y: ScaleLinear<number, number>, x0: number, x1: number): string {
  const ticks = y.ticks(6);
  const format = y.tickFormat(6);
  const marks = ticks.map((t) => {
    const at = y(t).toFixed(1);
    return `<line x1="${x0}" x2="${x1}" y1="${at}" y2="${at}" stroke="#e5e5e5"/><text x="${x0 - 8}" y="${at}" dy="0.32em" text-anchor="end">${escapeHtml(format(t))}</text>`;
  });
  const [bottom, top] = y.range();
  return `${marks.join('')}<line x1="${x0}" x2="${x0}" y1="${bottom}" y2="${top}" stroke="#888"/>`;
}

function legend(lines: readonly Line[], top: number): string {
  const columnWidth = (WIDTH - MARGIN.left - MARGIN.right) / LEGEND_COLUMNS;
  return lines
    .map((line, i) => {
      const x = MARGIN.left + (i % LEGEND_COLUMNS) * columnWidth;
      const y = top + Math.floor(i / LEGEND_COLUMNS) * LEGEND_ROW;
      const dash = DASHES[Math.floor(i / PALETTE.length) % DASHES.length];
      // The label is cut to its column; the whole name is in the tooltip.
      const label = line.label.length > 28 ? `${line.label.slice(0, 27)}…` : line.label;
      return (
        `<g class="legend-entry" transform="translate(${x.toFixed(1)},${y})"><title>${escapeHtml(line.label)}</title>` +
        `<line x2="22" y1="0" y2="0" stroke="${PALETTE[i % PALETTE.length]}" stroke-width="2.5"${dash ? ` stroke-dasharray="${dash}"` : ''}/>` +
        `<text x="28" dy="0.32em">${escapeHtml(label)}</text></g>`
      );
    })
    .join('');
}

/** An SVG document fragment (inline in HTML, or a file of its own) charting `metric`. */
export function lineChart(metric: string, lines: readonly Line[], words: ChartWords): string {
  const plotBottom = MARGIN.top + PLOT_HEIGHT;
  const legendTop = plotBottom + MARGIN.bottom + 8;
  const height = legendTop + Math.ceil(lines.length / LEGEND_COLUMNS) * LEGEND_ROW + 4;
  const x = scaleLinear().domain(extent(lines, (l) => l.series.steps)).range([MARGIN.left, WIDTH - MARGIN.right]).nice(8);
  const y = scaleLinear().domain(extent(lines, (l) => l.series.values)).range([plotBottom, MARGIN.top]).nice(6);
  const paths = lines.map((line, i) => {
    const { steps, values } = line.series;
    const path = linePath<number>()
      .x((index) => x(steps[index]))
      .y((index) => y(values[index]))(Array.from(steps.keys()));
    const dash = DASHES[Math.floor(i / PALETTE.length) % DASHES.length];
    return `<path d="${path ?? ''}" fill="none" stroke="${PALETTE[i % PALETTE.length]}" stroke-width="1.75"${dash ? ` stroke-dasharray="${dash}"` : ''}><title>${escapeHtml(line.label)}</title></path>`;
  });
  const name = escapeHtml(metric);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${name}" ${FONT}>`,
    `<title>${name}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    `<text x="${MARGIN.left}" y="22" font-size="15" font-weight="600">${name}</text>`,
    axisY(y, MARGIN.left, WIDTH - MARGIN.right),
    axisX(x, plotBottom, words),
    lines.length ? paths.join('') : `<text x="${WIDTH / 2}" y="${MARGIN.top + PLOT_HEIGHT / 2}" text-anchor="middle" fill="#555">${escapeHtml(words.noValues)}</text>`,
    legend(lines, legendTop),
    '</svg>',
  ].join('');
}
