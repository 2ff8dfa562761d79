'use strict';
// The deploy hook of examples/deploy-on-promotion.json, for the demo: the
// example POSTs each promoted version to http://127.0.0.1:9000/hooks/...;
// this answers 200 and counts the deploys it got, so a person sees one
// deploy per promotion (and the example's flow ends green). A deploy whose
// Idempotency-Key (the change's msg.eventId) came before is said to be a repeat.
const http = require('node:http');

const DEPLOY_HOOK_PORT = 9000;

/**
 * Listens on 127.0.0.1:`port`; each POST is a deploy: counted, told to `log`
 * (its number, model and version, and whether its Idempotency-Key came
 * before) and answered { deployed: n }. Resolves
 * with { url, count(), close() }; rejects when the port is taken.
 */
function startDeployHook({ port = DEPLOY_HOOK_PORT, log = () => {} } = {}) {
  let deploys = 0;
  /** Idempotency-Key -> the number of the deploy that brought it first. */
  const seen = new Map();
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (req.method !== 'POST') {
        res.writeHead(405).end();
        return;
      }
      deploys++;
      let what = '';
      try {
        const { model, version } = JSON.parse(body);
        what = ` of ${model} ${version}`;
      } catch {
        // Not the example's JSON: counted all the same.
      }
      const key = req.headers['idempotency-key'];
      const first = key ? seen.get(key) : undefined;
      if (key && !first) seen.set(key, deploys);
      log(`deploy #${deploys}${what} (${req.url})${first ? `: a REPEAT of deploy #${first} (same Idempotency-Key)` : ''}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ deployed: deploys }));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve({ url: `http://127.0.0.1:${server.address().port}/`, count: () => deploys, close: () => new Promise((done) => server.close(done)) });
    });
  });
}

module.exports = { startDeployHook, DEPLOY_HOOK_PORT };
