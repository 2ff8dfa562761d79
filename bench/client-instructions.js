'use strict';
// The client alone, counted in instructions: CometClient.json against what
// the ten-line node does (a bare undici Pool, body.json()), 8 requests in
// flight, the same fast server (lib/fast-server-child.js), in one process
// under callgrind, rounds of each taken in turn and each round dumped on its
// own (process.ppid before and after, --dump-before=getppid). What a change
// to src/client/ buys, without Node-RED around it and without the machine's
// load in it. Not part of `npm run bench`: a tool for comparing two builds.
//   node bench/client-instructions.js            # this checkout's build (nodes/)
//   BENCH_PACKAGE_DIR=/tmp/other-build node bench/client-instructions.js
const fs = require('fs');
const os = require('os');
const path = require('path');
const { hasValgrind, underCallgrind, newestTotals } = require('./lib/callgrind');
const { startChild, serveParent } = require('./lib/child');
const { median, fmt } = require('./lib/stats');
const { ensureSupportedNode } = require('./lib/node-runtime');

const ROOT = path.join(__dirname, '..');

/** In the child, under callgrind: `rounds` rounds of `count` requests of each, after `warmups`; instructions per request. */
async function measure({ packageDir, dir, url, apiKey, keys, rounds, count, warmups, concurrency }) {
  const { CometClient } = require(path.join(packageDir, 'nodes', 'client', 'client.js'));
  const { catalogTranslate } = require(path.join(packageDir, 'nodes', 'node-red', 'i18n.js'));
  const { Pool } = require(require.resolve('undici', { paths: [packageDir] }));
  const client = new CometClient({ server: url, apiKey, label: 'bench', concurrency, t: catalogTranslate() });
  const pool = new Pool(url, { connections: concurrency });
  const options = { signal: new AbortController().signal, onWait: () => {} };
  const variants = {
    comet: (experimentKey) => client.json({ endpoint: 'experiment/metadata', method: 'GET', path: 'experiment/metadata', query: { experimentKey }, subject: { experimentKey } }, options),
    undici: (experimentKey) => pool.request({ method: 'GET', path: `/api/rest/v2/experiment/metadata?experimentKey=${encodeURIComponent(experimentKey)}`, headers: { authorization: apiKey } }).then((res) => res.body.json()),
  };
  const round = async (name, n) => {
    let next = 0;
    const worker = async () => {
      while (next < n) {
        const key = keys[next++ % keys.length];
        if ((await variants[name](key)).experimentKey !== key) throw new Error(`${name}: an answer for another experiment`);
      }
    };
    void process.ppid;
    await Promise.all(Array.from({ length: concurrency }, worker));
    void process.ppid;
    return newestTotals(dir, process.pid) / n;
  };
  for (let w = 0; w < warmups; w++) for (const name of Object.keys(variants)) await round(name, count);
  const counts = { comet: [], undici: [] };
  for (let r = 0; r < rounds; r++) for (const name of Object.keys(variants)) counts[name].push(await round(name, count));
  await client.close();
  await pool.close();
  return counts;
}

async function run({ packageDir = process.env.BENCH_PACKAGE_DIR || ROOT, rounds = 9, count = 4_000, warmups = 6, concurrency = 8, log = console.log } = {}) {
  if (!hasValgrind()) return { markdown: 'valgrind is not installed (Debian: `apt-get install valgrind`): not measured.' };
  const server = await startChild(path.join(__dirname, 'lib', 'fast-server-child.js'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comet-bench-callgrind-'));
  const child = await startChild(__filename, { ...underCallgrind(dir), args: ['--child'] });
  try {
    const { url, apiKey, experiments } = server.ready;
    const counts = await child.call('measure', { packageDir, dir, url, apiKey, keys: experiments.map((e) => e.experimentKey), rounds, count, warmups, concurrency }, 3_600_000);
    const comet = median(counts.comet);
    const undici = median(counts.undici);
    log(`  rounds, thousand instructions per request: comet ${counts.comet.map((c) => fmt(c / 1000)).join(' ')} | undici ${counts.undici.map((c) => fmt(c / 1000)).join(' ')}`);
    return { comet, undici, markdown: `${path.relative(process.cwd(), packageDir) || '.'}: CometClient.json ${fmt(comet / 1000)}k instructions per request, bare undici ${fmt(undici / 1000)}k: ${fmt(comet / undici)}x (medians of ${rounds} rounds of ${count.toLocaleString('en')}).` };
  } finally {
    await child.stop();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  serveParent({ measure, close: () => setImmediate(() => process.exit(0)) });
  process.send({ ready: {} });
} else if (require.main === module) {
  ensureSupportedNode();
  run().then(
    (result) => console.log(result.markdown),
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}

module.exports = { run };
