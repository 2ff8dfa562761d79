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
 * A big JSON answer, the least any client must do: POST, collect the bytes,
 * JSON.parse. With `saveTo`, the bytes are also written there for parseFile.
 */
async function fetchJson({ url, apiKey, body, saveTo }) {
  global.gc();
  const rssBefore = process.memoryUsage.rss();
  const heapBefore = process.memoryUsage().heapUsed;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const res = await request(url, { method: 'POST', headers: { authorization: apiKey, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const chunks = [];
  for await (const chunk of res.body) chunks.push(chunk);
  const bytes = Buffer.concat(chunks);
  chunks.length = 0;
  const received = performance.now() - t0;
  const parsed = JSON.parse(bytes.toString('utf8'));
  const ms = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  const heapPeak = process.memoryUsage().heapUsed;
  if (saveTo) fs.writeFileSync(saveTo, bytes);
  return {
    ms,
    receivedMs: received,
    cpuMs: (used.user + used.system) / 1000,
    bytes: bytes.length,
    experiments: Object.keys(parsed.experiments).length,
    heapPeakMB: (heapPeak - heapBefore) / 1e6,
    rssPeakMB: (process.resourceUsage().maxRSS * 1024 - rssBefore) / 1e6,
  };
}

/** JSON.parse alone of bytes read from a file: the bytes are in memory before the clock starts. */
function parseFile({ file }) {
  const bytes = fs.readFileSync(file);
  global.gc();
  const rssBefore = process.memoryUsage.rss();
  const heapBefore = process.memoryUsage().heapUsed;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const parsed = JSON.parse(bytes.toString('utf8'));
  const ms = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  const heapPeak = process.memoryUsage().heapUsed;
  return {
    ms,
    cpuMs: (used.user + used.system) / 1000,
    experiments: Object.keys(parsed.experiments).length,
    heapPeakMB: (heapPeak - heapBefore) / 1e6,
    rssPeakMB: (process.resourceUsage().maxRSS * 1024 - rssBefore) / 1e6,
  };
}

serveParent({ loop, fetchJson, parseFile, close: () => setImmediate(() => process.exit(0)) });
process.send({ ready: { node: process.version } });
