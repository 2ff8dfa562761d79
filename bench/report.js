'use strict';
// Benchmark 5: a report over a big project. `comet-report` over 1,000
// experiments x 3 metrics x 1,500 steps (the sample server's chart data set)
// through a real Node-RED runtime: the requests it sends, the time from the
// msg entering the node to the msg leaving it, and its peak memory; as a
// Markdown leaderboard, and as an HTML document with a chart per metric. Each
// measurement runs in a fresh Node-RED process.
const path = require('path');
const { startChild } = require('./lib/child');
const { benchFlow, measured, runAlone } = require('./lib/flow');
const { median, fmt, table } = require('./lib/stats');

const LIB = path.join(__dirname, 'lib');
const SIZE = { experiments: 1000, metrics: 3, points: 1500 };
const BATCH = 50;

/** The report node; `fields` as str TypedInputs. */
function reportNode(id, fields) {
  const node = { id, type: 'comet-report', server: 'cfg' };
  for (const [name, value] of Object.entries(fields)) Object.assign(node, { [name]: value, [`${name}Type`]: typeof value === 'boolean' ? 'bool' : 'str' });
  return node;
}

const VARIANTS = {
  markdown: { label: 'Markdown leaderboard, top 10', fields: { format: 'markdown' } },
  html: { label: 'HTML with a chart per metric, top 10', fields: { format: 'html', charts: true } },
};

async function run({ runs = 3, size = SIZE, log = console.log } = {}) {
  const server = await startChild(path.join(LIB, 'sample-server-child.js'), { args: [JSON.stringify({ chartSize: size })] });
  try {
    const { chart, apiKey } = server.ready;
    const common = { projectName: 'chart-bench', metrics: chart.metricNames.map((m, i) => `${m}:${['min', 'max', 'last'][i % 3]}`).join(', '), params: 'index, learning_rate', limit: '10' };
    const results = {};
    for (const [name, variant] of Object.entries(VARIANTS)) {
      const node = reportNode('report', { ...common, ...variant.fields });
      const args = [JSON.stringify({ flows: benchFlow(server.ready, measured(node)), credentials: { cfg: { apiKey } } })];
      results[name] = [];
      for (let r = 0; r < runs; r++) {
        await server.call('clearRequests');
        const child = await startChild(path.join(LIB, 'nodered-child.js'), { execArgv: ['--expose-gc'], args });
        let out;
        try {
          out = await child.call('once', { entry: 'report', exit: 'report-out', msg: {} });
        } finally {
          await child.stop();
        }
        if (out.error) throw new Error(`comet-report failed: ${out.error}`);
        const requests = await server.call('requests');
        results[name].push({ ...out, requests: requests.length, charts: requests.filter((r) => r.endsWith('multi-metric-chart')).length });
        log(`  ${name} run ${r + 1}/${runs}: ${requests.length} requests, ${fmt(out.ms)} ms (cpu ${fmt(out.cpuMs)}) rss +${fmt(out.rssPeakMB)} MB heap +${fmt(out.heapPeakMB)} MB`);
      }
    }
    return { results, runs, size, markdown: report(results, { runs, size }) };
  } finally {
    await server.stop();
  }
}

function report(results, { runs, size }) {
  const bound = 3 + Math.ceil(size.experiments / BATCH);
  const rows = Object.entries(results).map(([name, list]) => {
    const m = (key) => median(list.map((x) => x[key]));
    return [VARIANTS[name].label, `${m('requests')} (${m('charts')} chart)`, `≤ ${bound}: ${m('requests') <= bound ? 'met' : 'NOT met'}`, fmt(m('ms')), fmt(m('cpuMs')), fmt(m('rssPeakMB')), fmt(m('heapPeakMB'))];
  });
  const values = size.experiments * size.metrics * size.points;
  return [
    `${size.experiments.toLocaleString('en')} experiments x ${size.metrics} metrics x ${size.points.toLocaleString('en')} steps (${values.toLocaleString('en')} values), no predicates: median of ${runs} runs, each in a fresh Node-RED process.`,
    '',
    table(['report', 'requests', 'goal 3 + ⌈N/50⌉', 'time ms', 'CPU ms', 'peak RSS growth MB', 'peak heap growth MB'], rows),
    '',
    'Requests: the project, its experiments, then one multi-metric chart request per 50 experiments (with predicates, one query more). Time includes the sample server generating every value of every chart answer, which Comet would read from its store.',
  ].join('\n');
}

module.exports = { run };

if (require.main === module) runAlone(run, { runs: Number(process.env.BENCH_RUNS) || 3 });
