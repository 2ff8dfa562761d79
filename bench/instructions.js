'use strict';
// Benchmark 1b: the per-msg work of the throughput benchmark's three variants
// counted in instructions, which no machine load moves: the same Node-RED
// (package from its tarball, same flow, same fast server) run under
// valgrind's callgrind, every thread of the process counted. Each measured
// slice is dumped on its own (the driver reads process.ppid before the first
// msg and after the last, and callgrind dumps before every getppid), so
// start-up and warm-up are left out. The variants take turns slice by slice.
// (No collection is forced between slices: after a forced one V8 shrinks its
// young generation and the next slice pays for many more scavenges.)
const fs = require('fs');
const os = require('os');
const path = require('path');
const { hasValgrind, underCallgrind, newestTotals } = require('./lib/callgrind');
const { runAlone, sliceOptions } = require('./lib/flow');
const { ensureSupportedNode } = require('./lib/node-runtime');
const { median, fmt, table } = require('./lib/stats');
const { startRig, VARIANTS, ALL_VARIANTS, LABELS } = require('./throughput');

/**
 * Warms every variant up until it is steady: chunks of `count` msgs per
 * variant in turn, until each one's last chunk is within `within` of the one
 * before (at most `maxRounds`). V8 keeps optimising for thousands of msgs
 * under callgrind, and the first slices would count its compiling.
 */
async function warmUp(rig, variants, { count, dir, within = 0.1, maxRounds = 8, log }) {
  const last = {};
  for (let round = 1; round <= maxRounds; round++) {
    const now = {};
    for (const v of variants) {
      await rig.drive(v, count, { mark: true });
      now[v] = newestTotals(dir, rig.red.pid) / count;
    }
    log(`  warm-up ${round}: ${variants.map((v) => `${v} ${fmt(now[v] / 1000)}k`).join(' | ')}`);
    if (round > 1 && variants.every((v) => Math.abs(now[v] - last[v]) <= within * last[v])) return;
    Object.assign(last, now);
  }
}

/** The issue's three variants; `only`: these instead (any of throughput.js's, e.g. this package's and the ten-line node between two changes). */
async function run({ slices = 7, count = 2_000, concurrency = 8, only, log = console.log } = {}) {
  const variants = only ? ALL_VARIANTS.filter((v) => only.includes(v)) : VARIANTS;
  if (!hasValgrind()) return { markdown: 'valgrind is not installed (Debian: `apt-get install valgrind`): not measured.' };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comet-bench-callgrind-'));
  const t0 = Date.now();
  const rig = await startRig({ concurrency, redOptions: underCallgrind(dir) });
  try {
    log(`  Node-RED started under callgrind in ${Math.round((Date.now() - t0) / 1000)} s`);
    await warmUp(rig, variants, { count: count / 2, dir, log });
    log(`  warmed up after ${Math.round((Date.now() - t0) / 1000)} s`);
    const results = Object.fromEntries(variants.map((v) => [v, []]));
    const ratios = { undici: [], core: [], request: [] };
    for (let s = 0; s < slices; s++) {
      const slice = {};
      for (const v of variants.map((_, i) => variants[(i + s) % variants.length])) {
        const res = await rig.drive(v, count, { mark: true });
        if (res.errors) throw new Error(`${v}: ${res.errors} failed msgs (${res.firstError})`);
        slice[v] = newestTotals(dir, rig.red.pid) / res.count;
        results[v].push(slice[v]);
      }
      if (slice.comet && slice.undici) ratios.undici.push(slice.comet / slice.undici);
      if (slice.comet && slice.core) ratios.core.push(slice.core / slice.comet);
      if (slice.request && slice.undici) ratios.request.push(slice.request / slice.undici);
      log(`  slice ${s + 1}/${slices}  ${variants.map((v) => `${v} ${fmt(slice[v] / 1000)}k instructions/msg`).join(' | ')}`);
    }
    const summary = Object.fromEntries(variants.map((v) => [v, median(results[v])]));
    const ratio = Object.fromEntries(Object.entries(ratios).map(([k, list]) => [k, median(list)]));
    return { summary, ratio, markdown: report(summary, ratio, { slices, count, concurrency }) };
  } finally {
    await rig.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function report(summary, ratio, { slices, count, concurrency }) {
  const variants = Object.keys(summary);
  const rows = variants.map((v) => [LABELS[v], fmt(summary[v] / 1000), v === 'comet' ? '1' : fmt(summary[v] / summary.comet)]);
  return [
    `The Node-RED process under callgrind (every thread), ${slices} slices of ${count.toLocaleString('en')} msgs per variant, ${concurrency} in flight, after warming up until steady; medians over slices.`,
    '',
    table(['variant', 'thousand instructions/msg', 'vs this package'], rows),
    '',
    ...(summary.undici ? [`- this package / the ten-line node: ${fmt(ratio.undici)}x`] : []),
    ...(summary.core ? [`- the core \`http request\` node / this package: ${fmt(ratio.core)}x`] : []),
    ...(summary.request && summary.undici ? [`- \`comet-request\` / the ten-line node (the same call): ${fmt(ratio.request)}x`] : []),
    '',
    "(Under callgrind the process runs some 50 times slower, so timers fire more often per msg than at full speed: the status's 250 ms throttle shows the status about once per 10-20 msgs instead of once per thousands, which counts against this package.)",
  ].join('\n');
}

module.exports = { run };

if (require.main === module) {
  ensureSupportedNode();
  runAlone(run, sliceOptions({ slices: 7, count: 2_000 }));
}
