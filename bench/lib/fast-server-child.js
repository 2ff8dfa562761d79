'use strict';
// A server that answers a benchmark's few requests as fast as node:http can,
// in a process of its own, so that the clients measured against it are the
// bottleneck and not the server. The answers are the sample server's own,
// fetched from it once at start and then served from memory: the same status,
// headers and bytes for the same URL (the key checked; any other URL a 404).
// For each sample experiment: its metadata, and one small asset (config.yaml).
const http = require('http');
const { createSampleServer } = require('../../sample-server');
const { serveParent } = require('./child');

/** Headers that belong to one connection or one moment, not to the answer. */
const OWN_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

/** The sample server's answers, by the path and query a client asks for: { status, headers, body }. */
async function cannedAnswers() {
  const sample = await createSampleServer({ port: 0 });
  const rest = new URL(sample.restRoot).pathname;
  const answers = new Map();
  const fetchOne = async (path) => {
    const res = await fetch(`${sample.url}${path}`, { headers: { authorization: sample.apiKey }, redirect: 'manual' });
    const headers = Object.fromEntries([...res.headers].filter(([name]) => !OWN_HEADERS.has(name)));
    const answer = { status: res.status, headers, body: Buffer.from(await res.arrayBuffer()) };
    answer.headers['content-length'] = String(answer.body.length);
    answers.set(path, answer);
    return answer;
  };
  try {
    const experiments = [];
    for (const experimentKey of Object.keys(sample.data.experiments)) {
      const key = encodeURIComponent(experimentKey);
      await fetchOne(`${rest}experiment/metadata?experimentKey=${key}`);
      const list = JSON.parse((await fetchOne(`${rest}experiment/asset/list?experimentKey=${key}`)).body);
      const asset = list.assets.find((a) => a.fileName === 'config.yaml');
      await fetchOne(`${rest}experiment/asset/get-asset?experimentKey=${key}&assetId=${encodeURIComponent(asset.assetId)}`);
      experiments.push({ experimentKey, assetId: asset.assetId, assetSize: asset.fileSize });
    }
    return { answers, experiments, apiKey: sample.apiKey, rest };
  } finally {
    await sample.close();
  }
}

async function main() {
  const { answers, experiments, apiKey, rest } = await cannedAnswers();
  const missing = { status: 404, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ msg: 'not found', code: 404 })) };
  missing.headers['content-length'] = String(missing.body.length);
  let requests = 0;

  const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    requests++;
    if (req.headers.authorization !== apiKey) {
      res.writeHead(401, { 'content-type': 'application/json', 'content-length': 2 }).end('{}');
      return;
    }
    const { status, headers, body } = answers.get(req.url) ?? missing;
    res.writeHead(status, headers);
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;

  serveParent({
    cpuMs: () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1000;
    },
    requests: () => requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      setImmediate(() => process.exit(0));
    },
  });
  process.send({ ready: { url, restRoot: `${url}${rest}`, apiKey, experiments } });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
