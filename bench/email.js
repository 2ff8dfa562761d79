'use strict';
// Benchmark 6: the e-mail report's charts. 3 charts over 50 experiments x
// 1,500 steps (the sample server's generated chart series, each line cut to
// the 500 points comet-report keeps for a chart: collect.ts), drawn as SVG
// (svg.ts) and rasterised to PNG at 2x (png.ts: resvg, then the indexed PNG)
// as comet-report `format: email` does: the time for the 3 PNGs (goal: under
// 0.5 s), beside the time for their SVGs, the first call (which loads resvg
// and the font) apart. Runs in a process of its own (this file, as a child),
// so the times and CPU belong to the charts alone.
const { spawnSync } = require('child_process');
const { median, fmt, table } = require('./lib/stats');

const SIZE = { experiments: 50, metrics: 3, points: 1500 };
const GOAL_MS = 500;

/** In the child: the charts' lines from the sample server's generated series, as comet-report keeps them. */
function chartLines({ experiments, metrics, points }) {
  const { lazySeries } = require('../sample-server/dataset/metrics');
  const { sampled } = require('../nodes/report/collect');
  const names = Array.from({ length: metrics }, (_, i) => `metric_${String(i).padStart(2, '0')}`);
  const series = Array.from({ length: experiments }, (_, i) => lazySeries(names, points, 0, i));
  return names.map((name) => ({
    name,
    lines: series.map((s, i) => {
      const { steps, values } = s.generate(name);
      return { label: `bench-${String(i).padStart(3, '0')}`, series: sampled(Array.from(steps), Array.from(values)) };
    }),
  }));
}

/** In the child: `runs` rounds of SVG then PNG for every chart, times in ms. */
async function measure({ runs, size }) {
  const { lineChart } = require('../nodes/report/svg');
  const { pngRenderer } = require('../nodes/report/png');
  const charts = chartLines(size);
  const words = { step: 'step', noValues: 'none' };
  const svgs = () => charts.map((c) => lineChart(c.name, c.lines, words));
  let t0 = performance.now();
  const renderer = pngRenderer();
  if (!('render' in renderer)) throw new Error(`resvg did not load: ${renderer.unavailable}`);
  const first = await Promise.all(svgs().map((svg) => renderer.render(svg)));
  const firstMs = performance.now() - t0;
  const rounds = [];
  for (let r = 0; r < runs; r++) {
    t0 = performance.now();
    const drawn = svgs();
    const svgMs = performance.now() - t0;
    const cpu = process.cpuUsage();
    t0 = performance.now();
    const pngs = await Promise.all(drawn.map((svg) => renderer.render(svg)));
    const pngMs = performance.now() - t0;
    const used = process.cpuUsage(cpu);
    rounds.push({ svgMs, pngMs, pngCpuMs: (used.user + used.system) / 1000, maxKB: Math.max(...pngs.map((p) => p.content.length)) / 1024 });
  }
  return { firstMs, rounds, size: first.map((p) => [p.width, p.height]) };
}

async function run({ runs = 10, size = SIZE, log = console.log } = {}) {
  const child = spawnSync(process.execPath, [__filename, JSON.stringify({ runs, size })], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 300_000 });
  if (child.status !== 0) throw new Error(`bench/email.js child failed (${child.signal || child.status})`);
  const result = JSON.parse(child.stdout);
  const m = (key) => median(result.rounds.map((r) => r[key]));
  log(`  3 charts: SVG ${fmt(m('svgMs'))} ms, PNG ${fmt(m('pngMs'))} ms (CPU ${fmt(m('pngCpuMs'))} ms), first PNGs ${fmt(result.firstMs)} ms`);
  const [width, height] = result.size[0];
  const rows = [
    ['3 SVG charts (svg.ts)', fmt(m('svgMs')), '', ''],
    ['3 PNG charts at 2x from those SVGs (png.ts)', fmt(m('pngMs')), fmt(m('pngCpuMs')), `under ${GOAL_MS}: ${m('pngMs') < GOAL_MS ? 'met' : 'NOT met'}`],
    ['the first 3 PNGs of a process (loads resvg and the font)', fmt(result.firstMs), '', ''],
  ];
  const markdown = [
    `${size.metrics} charts over ${size.experiments} experiments x ${size.points.toLocaleString('en')} steps (a line per experiment of the 500 points comet-report keeps; ${width} x ${height} each, drawn ${width * 2} x ${height * 2}): median of ${runs} rounds in one process, the 3 PNGs drawn at once as comet-report draws them.`,
    '',
    table(['step', 'time ms', 'CPU ms (all threads)', `goal: 3 PNGs under ${GOAL_MS} ms`], rows),
    '',
    `Largest PNG: ${fmt(m('maxKB'))} KB (budget 100 KB). resvg draws on libuv's thread pool; the palette PNG is written on the main thread.`,
  ].join('\n');
  return { result, markdown };
}

module.exports = { run };

if (require.main === module) {
  if (process.argv[2]) {
    measure(JSON.parse(process.argv[2])).then(
      (result) => process.stdout.write(JSON.stringify(result)),
      (err) => {
        console.error(err);
        process.exitCode = 1;
      },
    );
  } else {
    run({ runs: Number(process.env.BENCH_RUNS) || 10 }).then(
      ({ markdown }) => console.log(`\n${markdown}`),
      (err) => {
        console.error(err);
        process.exitCode = 1;
      },
    );
  }
}
