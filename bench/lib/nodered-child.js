'use strict';
// A real Node-RED runtime (embedded-node-red.js) driven over IPC by the
// benchmarks: it pushes msgs into one node, catches them where they leave the
// flow, and measures what happens between.
const fs = require('fs');
const inspector = require('inspector');
const path = require('path');
const { performance } = require('perf_hooks');
const { serveParent } = require('./child');
const { startEmbeddedNodeRed } = require('./embedded-node-red');

/** The bench-only `bench-undici` node (bench-undici-node.js), installed beside the package as a module of its own. */
function installBenchNodes(userDir) {
  const dir = path.join(userDir, 'node_modules', 'node-red-bench-nodes');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'bench-undici.js'), `module.exports = require(${JSON.stringify(path.join(__dirname, 'bench-undici-node.js'))});\n`);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'node-red-bench-nodes', version: '1.0.0', 'node-red': { nodes: { 'bench-undici': 'bench-undici.js' } } }));
}

/** What a payload holds, to check an answer without sending it over IPC: sizes of its top-level parts. */
function shapeOf(payload) {
  if (!payload || typeof payload !== 'object') return payload;
  const size = (v) => (Array.isArray(v) ? v.length : v && typeof v === 'object' ? Object.keys(v).length : v);
  return Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, size(v)]));
}

async function main() {
  const { flows, credentials, packed, settings } = JSON.parse(process.argv[2]);
  const { RED, stop } = await startEmbeddedNodeRed({ flows, credentials, packed, settings, prepare: installBenchNodes });

  /**
   * `count` msgs (copies of `msgs` in turn, numbered), `concurrency` in flight,
   * each timed from entry to exit. A failed msg counts as an error, and so does
   * an answer whose `payload[echo]` is not the msg's `[echo]` (a mixed-up msg),
   * or, with `bytes`, whose payload is not a Buffer of `msg[bytes]` bytes.
   * `mark`: under callgrind with --dump-before=getppid, the counts of
   * exactly these msgs are dumped (reading process.ppid calls getppid just
   * before the first msg goes and as the last one arrives): the newest
   * dump when drive resolves.
   */
  function drive({ entry, exit, count, concurrency, msgs, echo, bytes, mark = false }) {
    const entryNode = RED.nodes.getNode(entry);
    const exitNode = RED.nodes.getNode(exit);
    const started = new Float64Array(count);
    const latency = new Float64Array(count);
    let sent = 0;
    let received = 0;
    let errors = 0;
    let firstError;
    return new Promise((resolve) => {
      const send = () => {
        const i = sent++;
        const msg = { ...msgs[i % msgs.length], benchIndex: i };
        started[i] = performance.now();
        entryNode.receive(msg);
      };
      if (mark) void process.ppid;
      const cpu = process.cpuUsage();
      const t0 = performance.now();
      exitNode.receive = (msg) => {
        latency[msg.benchIndex] = performance.now() - started[msg.benchIndex];
        const error = msg.error ? msg.error.message : echo && msg.payload?.[echo] !== msg[echo] ? `payload.${echo} is not msg.${echo}` : bytes && !(Buffer.isBuffer(msg.payload) && msg.payload.length === msg[bytes]) ? `payload is not ${msg[bytes]} bytes` : undefined;
        if (error) {
          errors++;
          firstError ??= error;
        }
        received++;
        if (sent < count) send();
        else if (received === count) {
          if (mark) void process.ppid;
          const ms = performance.now() - t0;
          const used = process.cpuUsage(cpu);
          resolve({ count, ms, cpuMs: (used.user + used.system) / 1000, errors, firstError, latencies: Array.from(latency) });
        }
      };
      for (let k = 0; k < concurrency && sent < count; k++) send();
    });
  }

  /**
   * One msg in, the first msg out of `exit`: wall and CPU time between, and
   * (with --expose-gc) the peak heap, sampled and read again as the msg
   * leaves, and the peak RSS, above what the process held before.
   */
  async function once({ entry, exit, msg, sampleMs = 5 }) {
    const entryNode = RED.nodes.getNode(entry);
    const exitNode = RED.nodes.getNode(exit);
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const rssBefore = process.memoryUsage.rss();
    let heapPeak = heapBefore;
    const sample = setInterval(() => {
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    }, sampleMs);
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const out = await new Promise((resolve) => {
      exitNode.receive = (m) => {
        const ms = performance.now() - t0;
        const used = process.cpuUsage(cpu);
        heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
        resolve({ ms, cpuMs: (used.user + used.system) / 1000, error: m.error ? m.error.message : undefined, payload: shapeOf(m.payload) });
      };
      entryNode.receive({ ...msg });
    });
    clearInterval(sample);
    const maxRss = process.resourceUsage().maxRSS * 1024;
    return { ...out, heapPeakMB: (heapPeak - heapBefore) / 1e6, rssPeakMB: (maxRss - rssBefore) / 1e6 };
  }

  /** Msgs that reached node `id` since the last call (the node itself no longer sees them). */
  const counted = new Map();
  function takeCount(id) {
    if (!counted.has(id)) {
      counted.set(id, 0);
      RED.nodes.getNode(id).receive = () => counted.set(id, counted.get(id) + 1);
    }
    const n = counted.get(id);
    counted.set(id, 0);
    return n;
  }

  /** A CPU profile of what happens between profileStart and profileStop (the measured msgs only, not the start-up). */
  const session = new inspector.Session();
  const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (err, result) => (err ? reject(err) : resolve(result))));
  /** `allocations`: a sampling heap profile (what was allocated where) instead of a CPU profile. */
  async function profileStart({ intervalUs = 200, allocations = false } = {}) {
    session.connect();
    if (allocations) {
      await post('HeapProfiler.enable');
      // Every 4 KiB allocated on average; objects collected since are kept in the profile too.
      await post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
      return;
    }
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: intervalUs });
    await post('Profiler.start');
  }
  async function profileStop({ file, allocations = false }) {
    const { profile } = await post(allocations ? 'HeapProfiler.stopSampling' : 'Profiler.stop');
    session.disconnect();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(profile));
    return file;
  }

  serveParent({
    drive,
    once,
    takeCount,
    profileStart,
    profileStop,
    close: async () => {
      await stop();
      setImmediate(() => process.exit(0));
    },
  });
  process.send({ ready: { node: process.version, nodeRed: RED.version() } });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
