'use strict';
// The floor under every Node-RED figure: a bare undici loop in a process of
// its own, `concurrency` requests in flight, each answer read as JSON.
const fs = require('fs');
const { performance } = require('perf_hooks');
const { Pool, request } = require('undici');
const { serveParent } = require('./child');

/** GET experiment/metadata `count` times, `concurrency` at once, over one keep-alive pool. */
async function loop({ origin, path, apiKey, keys, count, concurrency }) {
  const pool = new Pool(origin, { connections: concurrency });
  const latency = new Float64Array(count);
  let next = 0;
  let errors = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const t = performance.now();
      try {
        const res = await pool.request({ method: 'GET', path: `${path}?experimentKey=${encodeURIComponent(keys[i % keys.length])}`, headers: { authorization: apiKey } });
        await res.body.json();
        if (res.statusCode !== 200) errors++;
      } catch {
        errors++;
      }
      latency[i] = performance.now() - t;
    }
  };
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  await pool.close();
  return { count, ms, cpuMs: (used.user + used.system) / 1000, errors, latencies: Array.from(latency) };
}

/**
 * Runs `work` from a freshly collected heap: its wall and CPU time, the heap
 * it holds as it ends and the peak RSS above the start, with what it returns.
 */
async function measure(work) {
  global.gc();
  const rssBefore = process.memoryUsage.rss();
  const heapBefore = process.memoryUsage().heapUsed;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const result = await work();
  const ms = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  const heapPeakMB = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
  const rssPeakMB = (process.resourceUsage().maxRSS * 1024 - rssBefore) / 1e6;
  return { ms, cpuMs: (used.user + used.system) / 1000, heapPeakMB, rssPeakMB, ...result };
}

/**
 * A big JSON answer, the least any client must do: POST, collect the bytes,
 * JSON.parse. With `saveTo`, the bytes are then written there for parseFile.
 */
async function fetchJson({ url, apiKey, body, saveTo }) {
  let bytes;
  const result = await measure(async () => {
    const res = await request(url, { method: 'POST', headers: { authorization: apiKey, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const chunks = [];
    for await (const chunk of res.body) chunks.push(chunk);
    bytes = Buffer.concat(chunks);
    chunks.length = 0;
    return { bytes: bytes.length, experiments: Object.keys(JSON.parse(bytes.toString('utf8')).experiments).length };
  });
  if (saveTo) fs.writeFileSync(saveTo, bytes);
  return result;
}

/** JSON.parse alone of bytes read from a file: the bytes are in memory before the clock starts. */
function parseFile({ file }) {
  const bytes = fs.readFileSync(file);
  return measure(() => ({ experiments: Object.keys(JSON.parse(bytes.toString('utf8')).experiments).length }));
}

serveParent({ loop, fetchJson, parseFile, close: () => setImmediate(() => process.exit(0)) });
process.send({ ready: { node: process.version } });
