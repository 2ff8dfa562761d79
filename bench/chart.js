'use strict';
// Benchmark 2: a big answer. `get metrics` `chart` for 50 experiments x 10
// metrics x 15,000 points (fetchFull) through a real Node-RED runtime, timed
// from the msg entering the node to the msg leaving it, with its peak memory;
// against the least any client must do for the same bytes (POST, collect,
// JSON.parse, in a bare process) and against JSON.parse of the bytes alone.
// Every measurement runs in a fresh process, so peak RSS belongs to it alone.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { startChild } = require('./lib/child');
const { benchFlow, measured, runAlone } = require('./lib/flow');
const { median, fmt, table } = require('./lib/stats');

const LIB = path.join(__dirname, 'lib');
const SIZE = { experiments: 50, metrics: 10, points: 15_000 };

// Every field blank: experimentKeys, metrics and fetchFull come from the msg.
const CHART_NODE = { id: 'chart', type: 'comet-get-metrics', server: 'cfg', operation: 'chart' };

async function inFreshProcess(script, options, work) {
  const child = await startChild(path.join(LIB, script), { execArgv: ['--expose-gc'], ...options });
  try {
    return await work(child);
  } finally {
    await child.stop();
  }
}

async function run({ runs = 3, size = SIZE, log = console.log } = {}) {
  const server = await startChild(path.join(LIB, 'sample-server-child.js'), { args: [JSON.stringify({ chartSize: size })] });
  const bytesFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'comet-bench-chart-')), 'chart.json');
  try {
    const { restRoot, apiKey, chart } = server.ready;
    const body = { targetedExperiments: chart.experimentKeys, metrics: chart.metricNames, fetchFull: true };
    const msg = { experimentKeys: chart.experimentKeys, metrics: chart.metricNames, fetchFull: true };
    const nodeRedArgs = [JSON.stringify({ flows: benchFlow(server.ready, measured(CHART_NODE)), credentials: { cfg: { apiKey } } })];
    const results = { node: [], fetch: [], parse: [] };
    let bytes = 0;
    for (let r = 0; r < runs; r++) {
      const node = await inFreshProcess('nodered-child.js', { args: nodeRedArgs }, (red) => red.call('once', { entry: 'chart', exit: 'chart-out', msg }));
      if (node.error || node.payload?.experiments !== size.experiments) throw new Error(`chart through Node-RED failed: ${node.error || JSON.stringify(node.payload)}`);
      const fetched = await inFreshProcess('undici-child.js', {}, (c) => c.call('fetchJson', { url: `${restRoot}experiments/multi-metric-chart`, apiKey, body, saveTo: r === 0 ? bytesFile : undefined }));
      bytes = fetched.bytes;
      const parsed = await inFreshProcess('undici-child.js', {}, (c) => c.call('parseFile', { file: bytesFile }));
      results.node.push(node);
      results.fetch.push(fetched);
      results.parse.push(parsed);
      log(`  run ${r + 1}/${runs}  node ${fmt(node.ms)} ms (cpu ${fmt(node.cpuMs)}) rss +${fmt(node.rssPeakMB)} MB heap +${fmt(node.heapPeakMB)} MB | fetch+parse ${fmt(fetched.ms)} ms (cpu ${fmt(fetched.cpuMs)}) rss +${fmt(fetched.rssPeakMB)} MB | parse ${fmt(parsed.ms)} ms rss +${fmt(parsed.rssPeakMB)} MB`);
    }
    const m = (list, key) => median(list.map((x) => x[key]));
    const summary = Object.fromEntries(Object.entries(results).map(([k, list]) => [k, { ms: m(list, 'ms'), cpuMs: m(list, 'cpuMs'), rssPeakMB: m(list, 'rssPeakMB'), heapPeakMB: m(list, 'heapPeakMB') }]));
    return { summary, bytes, runs, size, markdown: report(summary, { bytes, runs, size }) };
  } finally {
    fs.rmSync(path.dirname(bytesFile), { recursive: true, force: true });
    await server.stop();
  }
}

function report(s, { bytes, runs, size }) {
  const row = (label, x) => [label, fmt(x.ms), fmt(x.cpuMs), fmt(x.rssPeakMB), fmt(x.heapPeakMB)];
  const verdict = (value, goal) => `${fmt(value)}x (goal ≤ ${goal}x: ${value <= goal ? 'met' : 'NOT met'})`;
  // JSON.parse alone held the bytes before its clock started: they count in the memory it needs.
  const parseRss = s.parse.rssPeakMB + bytes / 1e6;
  return [
    `${size.experiments} experiments x ${size.metrics} metrics x ${size.points.toLocaleString('en')} points, fetchFull: an answer of ${fmt(bytes / 1e6)} MB, median of ${runs} runs, each in a fresh process.`,
    '',
    table(
      ['', 'time ms', 'CPU ms', 'peak RSS growth MB', 'peak heap growth MB'],
      [
        row('`comet-get-metrics` chart, msg in to msg out', s.node),
        row('bare client: POST, collect, JSON.parse', s.fetch),
        row('JSON.parse of the same bytes alone (bytes already read)', s.parse),
      ],
    ),
    '',
    `- time vs the bare client: ${verdict(s.node.ms / s.fetch.ms, 1.3)}; CPU: ${fmt(s.node.cpuMs / s.fetch.cpuMs)}x`,
    `- peak heap vs JSON.parse alone: ${verdict(s.node.heapPeakMB / s.parse.heapPeakMB, 1.3)}`,
    `- peak RSS vs the bare client: ${fmt(s.node.rssPeakMB / s.fetch.rssPeakMB)}x; vs JSON.parse alone counting the ${fmt(bytes / 1e6)} MB it parses: ${fmt(s.node.rssPeakMB / parseRss)}x`,
    `- time vs JSON.parse alone: ${fmt(s.node.ms / s.parse.ms)}x: the sample server needs most of the time to generate the answer, and the bare client waits for it too`,
    '',
    "Peak RSS growth: the process's maximum resident set above what it held just before (it counts Buffers outside the JS heap). Peak heap: sampled every 5 ms and as the msg leaves.",
  ].join('\n');
}

module.exports = { run };

if (require.main === module) runAlone(run, { runs: Number(process.env.BENCH_RUNS) || 3 });
