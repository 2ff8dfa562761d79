'use strict';
// The least any client must do for a big JSON answer, in a process of its
// own: a bare undici POST, its bytes collected and parsed, and JSON.parse alone.
const fs = require('fs');
const { performance } = require('perf_hooks');
const { request } = require('undici');
const { serveParent } = require('./child');

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

serveParent({ fetchJson, parseFile, close: () => setImmediate(() => process.exit(0)) });
process.send({ ready: { node: process.version } });
