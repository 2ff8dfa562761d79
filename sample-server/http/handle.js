'use strict';
// A request to the sample server's REST API: counted while in flight, read
// (path relative to the REST root, query, JSON body), logged in
// server.requests, then answered by the rate limit, a fault or the endpoint.

const { cometErrorBody } = require('../routes');
const { answersItself, faultResult } = require('./faults');
const { destroySocket } = require('./sockets');
const { send } = require('./send');

const MAX_BODY = 10 * 1024 * 1024;

/** The body of `req` as text ({ text, tooLarge }: only what came before MAX_BODY when it is over); null when the client went away. */
async function readBody(req) {
  const chunks = [];
  let size = 0;
  try {
    for await (const c of req) {
      size += c.length;
      if (size > MAX_BODY) return { tooLarge: true, text: Buffer.concat(chunks).toString('utf8') };
      chunks.push(c);
    }
  } catch {
    return null;
  }
  return { tooLarge: false, text: Buffer.concat(chunks).toString('utf8') };
}

/** `req` as the routes see it: { path, query, inRoot, body, bodyError, tooLarge }; null when the client went away. */
async function readRequest(req, pathPrefix) {
  const url = new URL(req.url, 'http://127.0.0.1');
  const root = `${pathPrefix}/api/rest/v2/`;
  const inRoot = url.pathname.startsWith(root);
  let path = inRoot ? url.pathname.slice(root.length) : url.pathname;
  try {
    if (inRoot) path = decodeURIComponent(path);
  } catch {
    // keep it raw
  }
  const query = Object.fromEntries(url.searchParams);
  const read = await readBody(req);
  if (!read) return null;
  let body;
  let bodyError = false;
  if (read.text.length) {
    try {
      body = JSON.parse(read.text);
    } catch {
      body = read.text;
      bodyError = true;
    }
  }
  return { path, query, inRoot, body, bodyError, tooLarge: read.tooLarge };
}

/** Answers a request as the fault `spec` and the endpoint say. */
async function respond(req, res, request, spec, { life, answer, traffic }) {
  const { path, query, body, inRoot, bodyError } = request;
  if (spec.delayMs) {
    await life.sleep(spec.delayMs);
    if (life.closed || res.destroyed) return;
  }
  if (spec.reset === 'before-headers') return void destroySocket(req.socket, true);
  if (spec.hang) return; // never answered; close() destroys the socket
  const result = answersItself(spec) ? faultResult(spec) : await answer({ method: req.method, path, query, body }, req, inRoot, bodyError);
  if (life.closed || res.destroyed) return;
  await send(req, res, result, spec, { life, stats: traffic });
}

/** handle(req, res) of the REST API server. */
function createRequestHandler({ pathPrefix, traffic, faults, rateLimit, life, answer }) {
  return async function handle(req, res) {
    res.on('error', () => {});
    traffic.track(res);
    const request = await readRequest(req, pathPrefix);
    if (!request) return; // client went away
    const { path, query, body } = request;
    const record = { method: req.method, path, query, headers: { ...req.headers }, body, at: Date.now() };
    traffic.log(record, res);
    if (life.closed) return;
    if (request.tooLarge) {
      res.writeHead(413, { 'Content-Type': 'application/json', Connection: 'close' });
      res.end(JSON.stringify(cometErrorBody(413, 'Request body too large')));
      return;
    }
    const spec = rateLimit.over(record.at) || faults.take({ method: req.method, path, query });
    try {
      await respond(req, res, request, spec, { life, answer, traffic });
    } catch (err) {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(cometErrorBody(500, `Sample server error: ${err && err.message}`)));
      } else {
        destroySocket(req.socket);
      }
    }
  };
}

module.exports = { createRequestHandler };
