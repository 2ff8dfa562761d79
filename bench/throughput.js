'use strict';
// Benchmark 1: per-msg cost of `get experiment` (metadata) in a real Node-RED
// (the package installed from its tarball), 8 msgs in flight, against a server
// that is not the bottleneck (lib/fast-server-child.js: node:http answering the
// sample server's bytes from memory, in its own process, its CPU measured
// too). In the same Node-RED process, the same msgs through a ten-line undici
// node (the floor for any node) and the core `http request` node. The
// variants take turns slice by slice in a rotating order, so all meet the same
// machine load; ratios are taken within each slice, then medianed.
const path = require('path');
const { startChild } = require('./lib/child');
const { benchFlow, measured, runAlone, sliceOptions } = require('./lib/flow');
const { ensureSupportedNode } = require('./lib/node-runtime');
const { summarise, median, fmt, table } = require('./lib/stats');

const LIB = path.join(__dirname, 'lib');

/**
 * The variants in Node-RED side by side, each leaving through its own exit
 * node (failures too), with the msgs it is given and how its answer is checked
 * (`echo`: payload[echo] is msg[echo]; `bytes`: payload is a Buffer of msg[bytes] bytes).
 */
function variantsFor({ url, restRoot, apiKey, experiments }, concurrency) {
  const keyed = experiments.map(({ experimentKey }) => ({ experimentKey, payload: '' }));
  return {
    comet: {
      node: { type: 'comet-get-experiment', server: 'cfg', operation: 'metadata', experimentKey: '', experimentKeyType: 'str' },
      msgs: keyed,
      echo: 'experimentKey',
    },
    undici: {
      node: { type: 'bench-undici', origin: url, path: `${new URL(restRoot).pathname}experiment/metadata`, apiKey, connections: concurrency },
      msgs: keyed,
      echo: 'experimentKey',
    },
    core: {
      node: {
        type: 'http request', method: 'GET', ret: 'obj', paytoqs: 'ignore', persist: true, senderr: false, authType: '',
        url: `${restRoot}experiment/metadata?experimentKey={{{experimentKey}}}`,
        headers: [{ keyType: 'other', keyValue: 'Authorization', valueType: 'other', valueValue: apiKey }],
      },
      msgs: keyed,
      echo: 'experimentKey',
    },
    request: {
      node: { type: 'comet-request', server: 'cfg', method: 'GET', path: 'experiment/metadata' },
      msgs: experiments.map(({ experimentKey }) => ({ experimentKey, query: { experimentKey }, payload: '' })),
      echo: 'experimentKey',
    },
    download: {
      node: { type: 'comet-download-model', server: 'cfg', operation: 'asset', output: 'buffer', experimentKey: '', experimentKeyType: 'str', assetId: '', assetIdType: 'str' },
      msgs: experiments.map(({ experimentKey, assetId, assetSize }) => ({ experimentKey, assetId, assetSize, payload: '' })),
      bytes: 'assetSize',
    },
  };
}

function flowFor(variants, server, concurrency) {
  return benchFlow(server, Object.entries(variants).flatMap(([id, v]) => measured({ id, ...v.node })), { concurrency: String(concurrency) });
}

const LABELS = {
  comet: '`comet-get-experiment` (this package)',
  undici: 'ten-line undici node (the floor)',
  core: 'core `http request` node, keep-alive',
  request: '`comet-request`, GET experiment/metadata (this package)',
  download: '`comet-download-model`, a 100-byte asset to a Buffer (this package)',
};
/** The three of the issue's comparison; the other two are this package's other hot paths, measured alike. */
const VARIANTS = ['comet', 'undici', 'core'];
const ALL_VARIANTS = Object.keys(LABELS);

/** Starts the fast server and Node-RED on every variant; `redOptions` for the Node-RED child (execPath, execArgv). */
async function startRig({ concurrency, redOptions = {} }) {
  const server = await startChild(path.join(LIB, 'fast-server-child.js'));
  try {
    const { apiKey } = server.ready;
    const variants = variantsFor(server.ready, concurrency);
    const args = [JSON.stringify({ flows: flowFor(variants, server.ready, concurrency), credentials: { cfg: { apiKey } }, packed: process.env.BENCH_PACKAGE_DIR || true })];
    const red = await startChild(path.join(LIB, 'nodered-child.js'), { timeoutMs: 600_000, ...redOptions, args });
    const drive = (variant, count, extra = {}) => {
      const { msgs, echo, bytes } = variants[variant];
      return red.call('drive', { entry: variant, exit: `${variant}-out`, count, concurrency, msgs, echo, bytes, ...extra }, 1_800_000);
    };
    const stop = async () => {
      await red.stop();
      await server.stop();
    };
    return { server, red, drive, stop };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/**
 * `slices` slices of `count` msgs per variant after a warm-up, but no new
 * slice after `budgetMs` once 6 are done (a loaded machine must not stretch
 * `npm run bench` without end). `profileDir`: write a CPU profile of the
 * Node-RED process over the slices there (with `allocations`, a sampling
 * heap profile); `only`: just these variants.
 */
async function run({ slices = 15, count = 10_000, warmup = 10_000, concurrency = 8, budgetMs = 240_000, only, profileDir, allocations = false, log = console.log } = {}) {
  const startedAt = Date.now();
  const rig = await startRig({ concurrency });
  try {
    const variants = ALL_VARIANTS.filter((v) => !only || only.includes(v));
    for (const v of variants) await rig.drive(v, warmup);
    if (profileDir) await rig.red.call('profileStart', { allocations });
    const results = Object.fromEntries(variants.map((v) => [v, []]));
    const ratios = { cpu: [], rate: [], core: [], request: [], download: [] };
    let s = 0;
    for (; s < slices && !(s >= 6 && Date.now() - startedAt > budgetMs); s++) {
      const slice = {};
      for (const v of variants.map((_, i) => variants[(i + s) % variants.length])) {
        const serverCpu = await rig.server.call('cpuMs');
        const res = await rig.drive(v, count);
        const serverCpuMs = (await rig.server.call('cpuMs')) - serverCpu;
        const latency = summarise(res.latencies);
        slice[v] = {
          rate: (res.count / res.ms) * 1000,
          cpuUs: (res.cpuMs * 1000) / res.count,
          serverCpuUs: (serverCpuMs * 1000) / res.count,
          // The share of one core the server used while it answered: near 1, it was the bottleneck.
          serverBusy: serverCpuMs / res.ms,
          p50: latency.p50,
          p99: latency.p99,
          errors: res.errors,
          firstError: res.firstError,
        };
        results[v].push(slice[v]);
      }
      const { comet, undici, core, request, download } = slice;
      if (comet && undici) ratios.cpu.push(comet.cpuUs / undici.cpuUs);
      if (comet && undici) ratios.rate.push(comet.rate / undici.rate);
      if (comet && core) ratios.core.push(comet.rate / core.rate);
      if (request && undici) ratios.request.push(request.cpuUs / undici.cpuUs);
      if (download && undici) ratios.download.push(download.cpuUs / undici.cpuUs);
      log(`  slice ${s + 1}/${slices}  ${variants.map((v) => `${v} ${fmt(slice[v].rate)}/s ${fmt(slice[v].cpuUs)} us`).join(' | ')}${slice.comet && slice.undici ? `  cpu ratio ${fmt(ratios.cpu.at(-1))}` : ''}`);
    }
    if (profileDir) log(`  profile: ${await rig.red.call('profileStop', { allocations, file: path.resolve(profileDir, `throughput-${variants.join('-')}.${allocations ? 'heapprofile' : 'cpuprofile'}`) })}`);
    const summary = Object.fromEntries(variants.map((v) => [v, summariseSlices(results[v])]));
    const ratio = Object.fromEntries(Object.entries(ratios).filter(([, list]) => list.length).map(([k, list]) => [k, { median: median(list), min: Math.min(...list), max: Math.max(...list) }]));
    return { summary, ratio, slices: s, count, concurrency, markdown: report(summary, ratio, { slices: s, count, concurrency }) };
  } finally {
    await rig.stop();
  }
}

function summariseSlices(list) {
  const m = (key) => median(list.map((x) => x[key]));
  const firstError = list.find((x) => x.firstError)?.firstError;
  return { rate: m('rate'), cpuUs: m('cpuUs'), serverCpuUs: m('serverCpuUs'), serverBusy: m('serverBusy'), p50: m('p50'), p99: m('p99'), errors: list.reduce((n, x) => n + x.errors, 0), firstError };
}

function report(summary, ratio, { slices, count, concurrency }) {
  const rows = Object.entries(summary).map(([v, s]) => [LABELS[v], fmt(s.cpuUs), fmt(s.rate), fmt(s.p50), fmt(s.p99), fmt(s.serverCpuUs), fmt(s.serverBusy, 2), s.errors ? `${s.errors} (${s.firstError})` : '0']);
  const range = (r) => `${fmt(r.median)}x (slices ${fmt(r.min)}-${fmt(r.max)})`;
  const verdict = (r, goal, atMost) => `${range(r)}; goal ${atMost ? '≤' : '≥'} ${goal}x: ${(atMost ? r.median <= goal : r.median >= goal) ? 'met' : 'NOT met'}`;
  return [
    `${slices} slices of ${count.toLocaleString('en')} msgs per variant, ${concurrency} in flight, the variants in turn; medians over slices. Node-RED CPU: user + system time of the Node-RED process per msg (process.cpuUsage: every thread). Server busy: the server's CPU time over the slice's wall time (1.0 would be one core saturated).`,
    '',
    table(['variant', 'Node-RED CPU µs/msg', 'msgs/s', 'p50 ms', 'p99 ms', 'server CPU µs/msg', 'server busy', 'errors'], rows),
    '',
    ...(ratio.cpu ? [`- Node-RED CPU per msg, this package / the ten-line node: ${verdict(ratio.cpu, 1.25, true)}`] : []),
    ...(ratio.rate ? [`- msgs/s, this package / the ten-line node: ${verdict(ratio.rate, 0.85)}`] : []),
    ...(ratio.core ? [`- msgs/s, this package / the core \`http request\` node: ${verdict(ratio.core, 4)}`] : []),
    ...(ratio.request ? [`- Node-RED CPU per msg, \`comet-request\` / the ten-line node (the same call): ${range(ratio.request)}`] : []),
    ...(ratio.download ? [`- Node-RED CPU per msg, the download to a Buffer / the ten-line node (metadata, for scale): ${range(ratio.download)}`] : []),
    '',
    '(Ratios are taken within each slice, then the median over slices; the range is the lowest and highest slice.)',
  ].join('\n');
}

module.exports = { run, startRig, VARIANTS, ALL_VARIANTS, LABELS };

if (require.main === module) {
  ensureSupportedNode();
  runAlone(run, {
    ...sliceOptions({ slices: 15, count: 10_000 }),
    profileDir: process.env.BENCH_PROFILE_DIR,
    allocations: !!process.env.BENCH_ALLOCATIONS,
  });
}
