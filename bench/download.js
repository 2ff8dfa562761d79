#!/usr/bin/env node
'use strict';
// Benchmark 4: a registry model zip (128 MiB and 1 GiB) downloaded through
// comet-download-model in a real Node-RED, output "file" and output
// "extract", against `curl -o` of the same URL in the same run (for extract,
// also `curl -o` then `unzip`), and a bare undici request piped to a file.
// Wall time (median of the runs), CPU time, and each process's peak RSS
// growth during a download. The sample server, Node-RED, the undici client
// and curl each run in their own process. Prints the
// Markdown of bench/README.md's Downloads section on stdout (`npm run bench`
// writes it there); everything else goes to stderr.
//   node bench/download.js [--sizes 128M,1G] [--runs 3] [--outputs file,extract] [--profile DIR]
// --profile writes a CPU profile of the Node-RED process to DIR (read it
// with node bench/lib/profile-summary.js); BENCH_TRACE_GC=1 adds --trace-gc.
const { execFileSync, spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { startChild, serveParent, hasCommand } = require('./lib/child');
const { median, table } = require('./lib/stats');

const MiB = 1024 * 1024;
const OUTPUTS = ['file', 'extract'];
const USAGE = 'node bench/download.js [--sizes 128M,1G] [--runs 3] [--outputs file,extract] [--profile DIR]';

function parseArgs(argv) {
  const options = { sizes: [128 * MiB, 1024 * MiB], runs: 3, outputs: OUTPUTS };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') options.runs = Number(argv[++i]);
    else if (argv[i] === '--outputs') options.outputs = argv[++i].split(',').filter((o) => OUTPUTS.includes(o));
    else if (argv[i] === '--profile') options.profile = path.resolve(argv[++i]);
    else if (argv[i] === '--sizes') options.sizes = argv[++i].split(',').map((s) => Math.round(parseFloat(s) * (/g/i.test(s) ? 1024 : 1) * MiB));
    else throw new Error(`unknown argument ${argv[i]}; usage: ${USAGE}`);
  }
  return options;
}

function sha256File(file) {
  const hash = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(4 * MiB);
  try {
    for (let n; (n = fs.readSync(fd, buffer, 0, buffer.length)) > 0; ) hash.update(buffer.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/** Empties `dir` and flushes dirty pages, so each measurement starts with the disk idle. */
function clean(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('sync');
}

/** Runs a shell `script` with `args`; resolves with its stdout and wall time (ms). */
function shell(script, args) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('bash', ['-c', script, 'bench', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve({ out, ms: performance.now() - t0 }) : reject(new Error(`${script} exited ${code}`))));
  });
}

/** `curl -o`: curl's own total time, and its CPU time (user + system, from the shell's `times`), in ms. */
async function curl(url, apiKey, file) {
  const { out } = await shell('curl -sS --fail -o "$1" -w "%{time_total}\\n" -H "Authorization: $2" "$3" && times', [file, apiKey, url]);
  // `times` prints the shell's user and system time, then its children's: "0m0.097s 0m1.632s".
  const [total, , children] = out.trim().split('\n');
  const seconds = children.split(/\s+/).reduce((sum, t) => sum + Number(/^(\d+)m/.exec(t)[1]) * 60 + parseFloat(/m([\d.]+)s$/.exec(t)[1]), 0);
  return { ms: parseFloat(total) * 1000, cpuMs: seconds * 1000 };
}

/** `curl -o` then `unzip -q`: what a shell script does for output "extract"; wall time in ms. */
async function curlUnzip(url, apiKey, zip, folder) {
  return (await shell('curl -sS --fail -o "$1" -H "Authorization: $2" "$3" && unzip -q -o "$1" -d "$4"', [zip, apiKey, url, folder])).ms;
}

/** What each size is downloaded with, in the report's order. */
const VARIANTS = {
  curl: 'curl -o',
  curlUnzip: 'curl -o, then unzip -q',
  undici: 'bare undici request piped to a file (own process)',
  file: 'Node-RED, output file',
  extract: 'Node-RED, output extract',
};

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const { layout } = require('../sample-server/bigzip');
  const startedAt = new Date();
  const load = os.loadavg().map((l) => l.toFixed(1)).join(' / ');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'comet-bench-download-'));
  const server = await startChild(path.join(__dirname, 'lib', 'sample-server-child.js'));
  const { url: origin, restRoot, apiKey } = server.ready;
  const url = `${restRoot}registry-model/item/download?workspaceName=ml-team&modelName=churn-model&stage=production`;
  const withUnzip = options.outputs.includes('extract') && hasCommand('unzip', ['-v']);
  const results = [];
  let versions;
  try {
    for (const size of options.sizes) {
      await server.call('setDownloadSize', size);
      // The first request of a size computes the zip's CRCs (cached after): not part of any measurement.
      await curl(url, apiKey, '/dev/null');
      const execArgv = [...(process.env.BENCH_TRACE_GC ? ['--trace-gc'] : []), ...(options.profile ? ['--cpu-prof', '--cpu-prof-dir', options.profile] : [])];
      const nodeRed = await startChild(__filename, { args: ['--node-red', JSON.stringify({ origin, apiKey, dir: work })], execArgv });
      const undici = await startChild(__filename, { args: ['--undici'] });
      versions = nodeRed.ready;
      const samples = Object.fromEntries(Object.keys(VARIANTS).map((v) => [v, { ms: [], cpuMs: [], rss: [] }]));
      const record = (variant, { ms, cpuMs, rssGrowth }) => {
        samples[variant].ms.push(ms);
        if (cpuMs !== undefined) samples[variant].cpuMs.push(cpuMs);
        if (rssGrowth !== undefined) samples[variant].rss.push(rssGrowth);
      };
      const clients = {
        undici: () => undici.call('download', { url, apiKey, file: path.join(work, 'undici.zip') }),
        file: () => nodeRed.call('download', 'file'),
        extract: () => nodeRed.call('download', 'extract'),
      };
      const measured = ['undici', ...options.outputs];
      try {
        // One unmeasured download each first: code loading and JIT warm-up happen once per process, not per model.
        for (const variant of measured) {
          clean(work);
          samples[variant].firstRss = (await clients[variant]()).rssGrowth;
        }
        for (let run = 0; run < options.runs; run++) {
          clean(work);
          const curlFile = path.join(work, 'curl.zip');
          record('curl', await curl(url, apiKey, curlFile));
          const expected = run === 0 ? sha256File(curlFile) : undefined;
          if (withUnzip) {
            clean(work);
            record('curlUnzip', { ms: await curlUnzip(url, apiKey, curlFile, path.join(work, 'unzip')) });
          }
          for (const variant of measured) {
            clean(work);
            const result = await clients[variant]();
            record(variant, result);
            if (run === 0 && variant !== 'undici') check(variant, result.payload, expected, size, layout);
          }
        }
      } finally {
        await Promise.all([nodeRed.stop(), undici.stop()]);
        clean(work);
      }
      results.push({ size, samples });
    }
  } finally {
    await server.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
  process.stdout.write(report(results, { ...options, startedAt, load, versions }));
}

/** The run's output is the bytes curl got: the file's sha256; the folder's files and sizes are the zip's. */
function check(mode, payload, expectedSha, size, layout) {
  if (mode === 'file') {
    if (sha256File(payload) !== expectedSha) throw new Error("file: sha256 differs from curl's download");
    return;
  }
  const { small, big } = layout(size);
  const want = [...small.map((s) => ({ path: s.name, size: s.data.length })), ...big.map((b) => ({ path: b.name, size: b.size }))];
  if (JSON.stringify(payload) !== JSON.stringify(want)) throw new Error(`extract: files ${JSON.stringify(payload)} are not the zip's`);
}

function report(results, { runs, sizes, outputs, startedAt, load, versions }) {
  const cpus = os.cpus();
  const seconds = (ms) => (ms / 1000).toFixed(2);
  const mib = (bytes) => (bytes / MiB).toFixed(1);
  const sizeText = (bytes) => (bytes >= 1024 * MiB ? `${bytes / 1024 / MiB} GiB` : `${bytes / MiB} MiB`);
  const command = `node bench/download.js --sizes ${sizes.map((s) => (s >= 1024 * MiB ? `${s / 1024 / MiB}G` : `${s / MiB}M`)).join(',')} --runs ${runs} --outputs ${outputs.join(',')}`;
  const rows = [];
  for (const { size, samples } of results) {
    const curlMs = median(samples.curl.ms);
    for (const [variant, label] of Object.entries(VARIANTS)) {
      const s = samples[variant];
      if (!s.ms.length) continue;
      const ms = median(s.ms);
      rows.push([
        sizeText(size),
        label,
        seconds(ms),
        `${(ms / curlMs).toFixed(2)}x`,
        s.cpuMs.length ? seconds(median(s.cpuMs)) : 'n/a',
        s.rss.length ? `${mib(s.firstRss)} / ${mib(Math.max(...s.rss))}` : 'n/a',
      ]);
    }
  }
  const lines = [
    `Measured ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC; ${cpus[0].model.trim()}, ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM; Linux ${os.release()}; Node ${versions.node}; Node-RED ${versions.nodeRed}; load average (1/5/15 min) at start ${load}.`,
    '',
    `\`${command}\`: medians of ${runs} runs. CPU: user + system time of the process (curl's from the shell's \`times\`). Peak RSS growth: the process's RSS above what it was before the download, for its first download (which also loads and compiles the code it runs) and the largest of the measured runs.`,
    '',
    table(['size', 'download', 'wall (s)', 'vs curl -o', 'CPU (s)', 'peak RSS growth, first / runs (MiB)'], rows),
  ];
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------
// The measured processes: Node-RED embedded through its API, one download
// node per output, each wired (and its failures, through a Catch node) to an
// exit node; and a bare undici client, the floor for any Node.js client.

/**
 * Runs `work` and measures it: wall time, CPU time, and the RSS sampled every
 * 10 ms above what it was before. No global.gc() first: a forced collection
 * shrinks V8's heap limits, and the collector then runs far more often during
 * the download than in a process nobody told to collect (twice the CPU,
 * measured).
 */
async function measure(work) {
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  try {
    const result = await work();
    const ms = performance.now() - t0;
    const used = process.cpuUsage(cpu);
    return { result, ms, cpuMs: (used.user + used.system) / 1000, rssGrowth: Math.max(peak, process.memoryUsage.rss()) - before };
  } finally {
    clearInterval(sampler);
  }
}

function undiciMain() {
  const { request } = require('undici');
  const { pipeline } = require('node:stream/promises');
  serveParent({
    download: async ({ url, apiKey, file }) => {
      const { result, ...measures } = await measure(async () => {
        const res = await request(url, { headers: { authorization: apiKey } });
        await pipeline(res.body, fs.createWriteStream(file));
        return res.statusCode;
      });
      if (result !== 200) throw new Error(`undici: HTTP ${result}`);
      return measures;
    },
    close: () => setImmediate(() => process.exit(0)),
  });
  process.send({ ready: true });
}

async function nodeRedMain({ origin, apiKey, dir }) {
  // This script's stdout is the report: Node-RED's log lines go to stderr.
  process.stdout.write = process.stderr.write.bind(process.stderr);
  const { startEmbeddedNodeRed } = require('./lib/embedded-node-red');
  const z = 'bench';
  const flows = [
    { id: z, type: 'tab', label: 'download bench' },
    { id: 'cfg', type: 'comet-config', name: 'sample', baseUrl: origin, workspace: 'ml-team', concurrency: '', timeout: '', retries: '' },
  ];
  OUTPUTS.forEach((mode, row) => {
    const y = 100 * (row + 1);
    // output file names a folder: the server names the file.
    const target = mode === 'file' ? `${path.join(dir, mode)}${path.sep}` : path.join(dir, mode);
    const download = { type: 'comet-download-model', server: 'cfg', operation: 'registryModel', modelName: 'churn-model', modelNameType: 'str', stage: 'production', stageType: 'str' };
    flows.push(
      { id: mode, z, x: 300, y, ...download, output: mode, path: target, overwrite: true, wires: [[`${mode}-out`]] },
      { id: `${mode}-catch`, z, x: 300, y: y + 40, type: 'catch', scope: [mode], uncaught: false, wires: [[`${mode}-out`]] },
      { id: `${mode}-out`, z, x: 500, y, type: 'debug', active: false, tosidebar: false, console: false, complete: 'false', wires: [] },
    );
  });
  const { RED, stop } = await startEmbeddedNodeRed({ flows, credentials: { cfg: { apiKey } }, prefix: 'comet-bench-download-' });

  /** One msg through the `mode` node, measured. */
  async function download(mode) {
    const { result: msg, ...measures } = await measure(
      () =>
        new Promise((resolve) => {
          RED.nodes.getNode(`${mode}-out`).receive = resolve;
          RED.nodes.getNode(mode).receive({});
        }),
    );
    if (msg.error) throw new Error(`${mode}: ${msg.error.message}`);
    return { ...measures, payload: msg.payload };
  }

  serveParent({
    download,
    close: async () => {
      await stop();
      setImmediate(() => process.exit(0));
    },
  });
  process.send({ ready: { node: process.version, nodeRed: RED.version() } });
}

if (process.argv[2] === '--undici') {
  undiciMain();
} else if (process.argv[2] === '--node-red') {
  nodeRedMain(JSON.parse(process.argv[3])).catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
