'use strict';
// Benchmark 6: what the Redis on the hot path costs. `comet-get-experiment`
// `metadata` with a `rate` budget of this process (client/budget.ts) against
// the same node with the budget shared through Redis (cluster/shared-budget.ts:
// one Lua round trip a request), both at the same rate, which the msgs reach
// (so they wait their turn, as a budget is for); beside them, for scale, the
// node without a budget and with a Redis budget too large to reach (each msg
// then pays the round trip and no wait). One real Node-RED, the fast server
// of the throughput benchmark, a redis-server of our own; the variants take
// turns slice by slice, as in throughput.js.
const path = require('path');
const { startChild } = require('./lib/child');
const { benchFlow, measured, runAlone, sliceOptions } = require('./lib/flow');
const { ensureSupportedNode } = require('./lib/node-runtime');
const { summarise, median, fmt, table } = require('./lib/stats');
const { haveRedis, startRedis } = require('../scripts/lib/redis-server');

const LIB = path.join(__dirname, 'lib');
/** Requests a minute the budgeted variants are held to: 500 a second, well below what the node could send. */
const RATE = 30_000;
/** A budget no run comes near: every msg takes a turn through Redis, none waits. */
const UNREACHED = 60_000_000;

const LABELS = {
  local: `\`rate\` ${RATE} a minute, this process's budget`,
  redis: `\`rate\` ${RATE} a minute, shared through Redis`,
  none: 'no budget (for scale)',
  redisUnreached: `\`rate\` ${UNREACHED.toLocaleString('en')} a minute through Redis: the round trip, no wait (for scale)`,
};
/** Each variant's config node: its rate, and whether it names the Redis. */
const CONFIGS = { local: [RATE, false], redis: [RATE, true], none: ['', false], redisUnreached: [UNREACHED, true] };

function flowFor(server, redis, concurrency) {
  const [tab, , ...rest] = benchFlow(server, Object.keys(LABELS).flatMap((id) => measured({ id, type: 'comet-get-experiment', server: `cfg-${id}`, operation: 'metadata', experimentKey: '', experimentKeyType: 'str' })));
  const configs = Object.entries(CONFIGS).map(([id, [rate, shared]]) => ({
    id: `cfg-${id}`, type: 'comet-config', name: id, baseUrl: server.url, workspace: 'ml-team', concurrency: String(concurrency), timeout: '', retries: '', rate: String(rate), redisUrl: shared ? redis.url : '',
  }));
  return [tab, ...configs, ...rest];
}

/** Redis's own CPU seconds so far (INFO cpu), to show what the round trips cost it. */
async function redisCpuMs(client) {
  const info = await client.info('cpu');
  const field = (name) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)[1]);
  return (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
}

async function run({ slices = 6, count = 5_000, warmup = 2_000, concurrency = 8, budgetMs = 240_000, log = console.log } = {}) {
  if (!haveRedis()) throw new Error('redis-server is missing (Debian: apt-get install redis-server)');
  const startedAt = Date.now();
  const redis = await startRedis();
  const server = await startChild(path.join(LIB, 'fast-server-child.js'));
  let red;
  const { createClient } = require('redis');
  const probe = createClient({ url: redis.url });
  probe.on('error', () => {});
  try {
    await probe.connect();
    const { apiKey, experiments } = server.ready;
    const msgs = experiments.map(({ experimentKey }) => ({ experimentKey, payload: '' }));
    const credentials = Object.fromEntries(Object.keys(CONFIGS).map((id) => [`cfg-${id}`, { apiKey }]));
    red = await startChild(path.join(LIB, 'nodered-child.js'), { timeoutMs: 600_000, args: [JSON.stringify({ flows: flowFor(server.ready, redis, concurrency), credentials, packed: process.env.BENCH_PACKAGE_DIR || true })] });
    const drive = (variant, n) => red.call('drive', { entry: variant, exit: `${variant}-out`, count: n, concurrency, msgs, echo: 'experimentKey' }, 1_800_000);
    const variants = Object.keys(LABELS);
    for (const v of variants) await drive(v, warmup);
    const results = Object.fromEntries(variants.map((v) => [v, []]));
    const ratios = [];
    const unreached = [];
    let s = 0;
    for (; s < slices && !(s >= 6 && Date.now() - startedAt > budgetMs); s++) {
      const slice = {};
      for (const v of variants.map((_, i) => variants[(i + s) % variants.length])) {
        const redisBefore = await redisCpuMs(probe);
        const res = await drive(v, count);
        const redisUs = ((await redisCpuMs(probe)) - redisBefore) * 1000 / res.count;
        const latency = summarise(res.latencies);
        slice[v] = { rate: (res.count / res.ms) * 1000, cpuUs: (res.cpuMs * 1000) / res.count, redisUs, p50: latency.p50, p99: latency.p99, errors: res.errors, firstError: res.firstError };
        results[v].push(slice[v]);
      }
      ratios.push(slice.redis.cpuUs / slice.local.cpuUs);
      unreached.push(slice.redisUnreached.cpuUs / slice.none.cpuUs);
      log(`  slice ${s + 1}/${slices}  ${variants.map((v) => `${v} ${fmt(slice[v].rate)}/s ${fmt(slice[v].cpuUs)} us`).join(' | ')}  cpu ratio ${fmt(ratios.at(-1))}`);
    }
    const summary = Object.fromEntries(variants.map((v) => [v, summariseSlices(results[v])]));
    const range = (list) => ({ median: median(list), min: Math.min(...list), max: Math.max(...list) });
    const ratio = range(ratios);
    return { summary, ratio, slices: s, markdown: report(summary, ratio, range(unreached), { slices: s, count, concurrency }) };
  } finally {
    await probe.close().catch(() => {});
    if (red) await red.stop();
    await server.stop();
    await redis.remove();
  }
}

function summariseSlices(list) {
  const m = (key) => median(list.map((x) => x[key]));
  const firstError = list.find((x) => x.firstError)?.firstError;
  return { rate: m('rate'), cpuUs: m('cpuUs'), redisUs: m('redisUs'), p50: m('p50'), p99: m('p99'), errors: list.reduce((n, x) => n + x.errors, 0), firstError };
}

function report(summary, ratio, unreached, { slices, count, concurrency }) {
  const rows = Object.entries(summary).map(([v, s]) => [LABELS[v], fmt(s.cpuUs), fmt(s.rate), fmt(s.p50), fmt(s.p99), fmt(s.redisUs), s.errors ? `${s.errors} (${s.firstError})` : '0']);
  return [
    `${slices} slices of ${count.toLocaleString('en')} msgs per variant, ${concurrency} in flight, the variants in turn; medians over slices. Node-RED CPU: user + system time of the Node-RED process per msg. Redis CPU: redis-server's own (INFO cpu) per msg.`,
    '',
    table(['variant', 'Node-RED CPU µs/msg', 'msgs/s', 'p50 ms', 'p99 ms', 'Redis CPU µs/msg', 'errors'], rows),
    '',
    `- Node-RED CPU per msg, the budget shared through Redis / this process's budget, at the same rate: ${fmt(ratio.median)}x (slices ${fmt(ratio.min)}-${fmt(ratio.max)}); goal ≤ 1.5x: ${ratio.median <= 1.5 ? 'met' : 'NOT met'}`,
    `- Node-RED CPU per msg, a Redis budget never reached / no budget at all (the round trip alone): ${fmt(unreached.median)}x (slices ${fmt(unreached.min)}-${fmt(unreached.max)})`,
    '',
    '(Ratios are taken within each slice, then the median over slices; the range is the lowest and highest slice.)',
  ].join('\n');
}

module.exports = { run };

if (require.main === module) {
  ensureSupportedNode();
  runAlone(run, sliceOptions({ slices: 6, count: 5_000 }));
}
