'use strict';
// The test helper gives nodes a fresh Express app as RED.httpNode but serves
// it nowhere. Load `captureHttpNode` with the nodes (every node module gets the
// same RED) and serve the app on 127.0.0.1 as Node-RED's HTTP server would.
const http = require('node:http');

let app;

/** A "node module" that registers nothing and keeps RED.httpNode. */
function captureHttpNode(RED) {
  app = RED.httpNode;
}

/** Serves whichever app the latest load gave the nodes; resolves with { base, close() }. */
async function serveHttpNode() {
  const server = http.createServer((req, res) => app(req, res));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** POSTs `body` (object: as JSON; string or Buffer: as is) and resolves with { status, body }. */
function post(url, body, headers) {
  const data = Buffer.isBuffer(body) || typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

module.exports = { captureHttpNode, serveHttpNode, post };
