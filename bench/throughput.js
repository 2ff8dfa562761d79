'use strict';
// Benchmark 1: `get experiment` (metadata) msgs through a real Node-RED
// runtime, 8 in flight, against the sample server in its own process; the same
// through the core `http request` node (keep-alive on) and through a node that
// only calls undici (the ceiling inside Node-RED); and a bare undici loop in a
// process of its own. In a round every variant sends its msgs in slices taken
// in turn, so all meet the same machine load; each figure is the median of
// several rounds, and the ratios are taken within each round, then medianed.
const path = require('path');
const { startChild } = require('./lib/child');
const { benchFlow, measured, runAlone } = require('./lib/flow');
const { summarise, median, fmt, table } = require('./lib/stats');

const LIB = path.join(__dirname, 'lib');

/** The three variants in Node-RED side by side, each leaving through its own exit node (failures too). */
function flowFor({ url, restRoot, apiKey }, concurrency) {
  const variants = [
    { id: 'comet', type: 'comet-get-experiment', server: 'cfg', operation: 'metadata', experimentKey: '', experimentKeyType: 'str' },
    {
      id: 'core', type: 'http request', method: 'GET', ret: 'obj', paytoqs: 'ignore', persist: true, senderr: false, authType: '',
      url: `${restRoot}experiment/metadata?experimentKey={{{experimentKey}}}`,
      headers: [{ keyType: 'other', keyValue: 'Authorization', valueType: 'other', valueValue: apiKey }],
    },
    { id: 'ceiling', type: 'bench-undici', origin: url, path: `${new URL(restRoot).pathname}experiment/metadata`, apiKey, connections: concurrency },
  ];
  return benchFlow({ url }, variants.flatMap(measured), { concurrency: String(concurrency) });
}

const LABELS = {
  comet: '`comet-get-experiment` (this package)',
  core: 'core `http request` node, keep-alive',
  ceiling: 'ten-line undici node (ceiling in Node-RED)',
  undici: 'bare undici loop, own process',
};

/**
 * `runs` rounds, but no new round after `budgetMs` once 3 are done (a loaded
 * machine must not stretch `npm run bench` without end). `only`: just these
 * variants (e.g. ['comet'] while profiling); `profileDir`: write a --cpu-prof
 * profile of the Node-RED process there.
 */
async function run({ runs = 5, budgetMs = 240_000, count = 20_000, slices = 8, warmup = 2_000, concurrency = 8, only, profileDir, log = console.log } = {}) {
  const startedAt = Date.now();
  const server = await startChild(path.join(LIB, 'sample-server-child.js'), { args: ['{}'] });
  const children = [server];
  try {
    const { url, restRoot, apiKey } = server.ready;
    const keys = server.ready.experimentKeys;
    const execArgv = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
    const redChild = await startChild(path.join(LIB, 'nodered-child.js'), { execArgv, args: [JSON.stringify({ flows: flowFor(server.ready, concurrency), credentials: { cfg: { apiKey } } })] });
    children.push(redChild);
    const undiciChild = await startChild(path.join(LIB, 'undici-child.js'));
    children.push(undiciChild);

    const msgs = keys.map((experimentKey) => ({ experimentKey, payload: '' }));
    const once = (variant, n) => {
      if (variant === 'undici') {
        return undiciChild.call('loop', { origin: url, path: `${new URL(restRoot).pathname}experiment/metadata`, apiKey, keys, count: n, concurrency });
      }
      return redChild.call('drive', { entry: variant, exit: `${variant}-out`, count: n, concurrency, msgs, echo: 'experimentKey' });
    };

    const variants = Object.keys(LABELS).filter((v) => !only || only.includes(v));
    for (const v of variants) await once(v, warmup);
    const results = Object.fromEntries(variants.map((v) => [v, []]));
    const ratios = { core: [], ceiling: [], undici: [] };
    let r = 0;
    for (; r < runs && !(r >= Math.min(3, runs) && Date.now() - startedAt > budgetMs); r++) {
      const round = Object.fromEntries(variants.map((v) => [v, { count: 0, ms: 0, cpuMs: 0, serverCpuMs: 0, errors: 0, firstError: undefined, latencies: [] }]));
      // Each variant's msgs go in slices taken in turn, so every variant of a round meets the same machine load.
      for (let slice = 0; slice < slices; slice++) {
        const order = variants.map((_, i) => variants[(i + slice + r) % variants.length]);
        for (const v of order) {
          const serverCpu = await server.call('cpuMs');
          const res = await once(v, Math.ceil(count / slices));
          const sum = round[v];
          sum.serverCpuMs += (await server.call('cpuMs')) - serverCpu;
          sum.count += res.count;
          sum.ms += res.ms;
          sum.cpuMs += res.cpuMs;
          sum.errors += res.errors;
          sum.firstError ??= res.firstError;
          sum.latencies.push(...res.latencies);
        }
        await server.call('clearRequests');
      }
      for (const v of variants) {
        const res = round[v];
        res.rate = (res.count / res.ms) * 1000;
        res.latency = summarise(res.latencies);
        delete res.latencies;
        results[v].push(res);
        log(`  round ${r + 1}/${runs} ${v.padEnd(8)} ${fmt(res.rate)} msgs/s  p50 ${fmt(res.latency.p50)} ms  p99 ${fmt(res.latency.p99)} ms  cpu ${fmt(res.cpuMs / res.count)} ms/msg${res.errors ? `  ERRORS ${res.errors} (${res.firstError})` : ''}`);
      }
      for (const other of Object.keys(ratios)) if (round.comet && round[other]) ratios[other].push(round.comet.rate / round[other].rate);
    }

    const summary = Object.fromEntries(
      variants.map((v) => [
        v,
        {
          rate: median(results[v].map((x) => x.rate)),
          p50: median(results[v].map((x) => x.latency.p50)),
          p99: median(results[v].map((x) => x.latency.p99)),
          cpuPerMsg: median(results[v].map((x) => x.cpuMs / x.count)),
          serverCpuPerMsg: median(results[v].map((x) => x.serverCpuMs / x.count)),
          errors: results[v].reduce((n, x) => n + x.errors, 0),
        },
      ]),
    );
    const ratio = Object.fromEntries(Object.entries(ratios).map(([k, list]) => [k, median(list)]));
    return { summary, ratio, runs: r, count, concurrency, markdown: report(summary, ratio, { runs: r, count, concurrency }) };
  } finally {
    for (const c of children.reverse()) await c.stop();
  }
}

function report(summary, ratio, { runs, count, concurrency }) {
  const rows = Object.entries(summary).map(([v, s]) => [LABELS[v], fmt(s.rate), fmt(s.p50), fmt(s.p99), fmt(s.cpuPerMsg), fmt(s.serverCpuPerMsg), String(s.errors)]);
  const verdict = (value, goal) => `${fmt(value)}x (goal ≥ ${goal}x: ${value >= goal ? 'met' : 'NOT met'})`;
  return [
    `${count.toLocaleString('en')} msgs per run, ${concurrency} in flight, median of ${runs} runs. CPU: user + system time of the client's process (Node-RED, or the bare loop's own) and of the sample server's, per msg.`,
    '',
    table(['variant', 'msgs/s', 'p50 ms', 'p99 ms', 'client CPU ms/msg', 'server CPU ms/msg', 'errors'], rows),
    '',
    `- this package vs core \`http request\` node: ${verdict(ratio.core, 4)}`,
    `- this package vs bare undici loop: ${verdict(ratio.undici, 0.6)}`,
    `- this package vs the ten-line undici node: ${fmt(ratio.ceiling)}x`,
    '',
    '(Ratios are msgs/s taken within each round, then the median over rounds.)',
  ].join('\n');
}

module.exports = { run };

if (require.main === module) {
  runAlone(run, {
    runs: Number(process.env.BENCH_RUNS) || 5,
    count: Number(process.env.BENCH_COUNT) || 20_000,
    only: process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : undefined,
    profileDir: process.env.BENCH_PROFILE_DIR,
  });
}
