'use strict';
// A fake Comet REST API v2 server (read endpoints) for tests, demos and
// benchmarks. Listens on 127.0.0.1 only. See README.md in this folder.

const http = require('http');
const https = require('https');
const crypto = require('crypto');
const { createDataset } = require('./data');
const { findRoute, ApiError, cometErrorBody } = require('./routes');
const { etagOf, servesRanges, rangeOf, skipBytes } = require('./ranges');

const DEFAULT_API_KEYS = { 'sample-key': { userName: 'ada', defaultWorkspaceName: 'ml-team' } };
const MAX_BODY = 10 * 1024 * 1024;
const FAULT_KEYS = new Set(['times', 'status', 'headers', 'body', 'contentType', 'delayMs', 'reset', 'truncate', 'cutAfter', 'ranges', 'trickleMs', 'trickleBytes', 'html', 'hang']);
const REASONS = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable', 504: 'Gateway Time-out' };

function nginxPage(status) {
  const title = `${status} ${REASONS[status] || http.STATUS_CODES[status] || 'Error'}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

function normalizePrefix(prefix) {
  if (!prefix || prefix === '/') return '';
  let p = String(prefix);
  if (!p.startsWith('/')) p = '/' + p;
  return p.replace(/\/+$/, '');
}

function toBuffer(body) {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body);
  return Buffer.from(JSON.stringify(body));
}

function destroySocket(socket, reset) {
  if (!socket || socket.destroyed) return;
  if (reset && typeof socket.resetAndDestroy === 'function' && !socket.encrypted) {
    try {
      socket.resetAndDestroy(); // TCP RST: the client sees ECONNRESET
      return;
    } catch {
      // fall through
    }
  }
  socket.destroy();
}

function validateFault(match, spec) {
  if (!(typeof match === 'string' || typeof match === 'function' || match instanceof RegExp)) {
    throw new TypeError('fault match must be an endpoint path (string), a RegExp or a function(req) => boolean');
  }
  const s = spec || {};
  for (const k of Object.keys(s)) if (!FAULT_KEYS.has(k)) throw new TypeError(`unknown fault option: ${k}`);
  if (s.reset !== undefined && s.reset !== 'before-headers' && s.reset !== 'mid-body') throw new TypeError("fault reset must be 'before-headers' or 'mid-body'");
  const times = s.times === undefined ? 1 : s.times;
  if (!(times === Infinity || (Number.isInteger(times) && times > 0))) throw new TypeError('fault times must be a positive integer or Infinity');
  return { match, spec: s, remaining: times };
}

function matches(match, req) {
  if (typeof match === 'function') return !!match(req);
  if (match instanceof RegExp) return match.test(req.path);
  return match === '*' || match === req.path;
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}

/**
 * Starts a sample server. See README.md for options and the returned object.
 */
async function createSampleServer(options = {}) {
  const pathPrefix = normalizePrefix(options.pathPrefix);
  const apiKeys = options.apiKeys || DEFAULT_API_KEYS;
  const proto = options.tls ? 'https' : 'http';
  const data = createDataset({ downloadSize: options.downloadSize, chartSize: options.chartSize });

  const requests = [];
  const storageRequests = [];
  let faults = [];
  let storageFaults = [];
  const stats = { bytesSent: 0 };
  const storageStats = { bytesSent: 0 };
  let rateLimit = null; // { max, windowMs, retryAfterSeconds, served: [times] }
  let inFlight = 0;
  let maxInFlight = 0;
  let closed = false;
  let closing = null;
  const sleepers = new Map(); // timer -> resolve
  const abort = new AbortController();

  const sleep = (ms) => new Promise((resolve) => {
    if (closed) return resolve();
    const t = setTimeout(() => {
      sleepers.delete(t);
      resolve();
    }, ms);
    sleepers.set(t, resolve);
  });

  // The first queued fault of `list` that matches `view` ({ method, path, query }), used up after its `times`; {} for none.
  function takeFault(list, view) {
    const i = list.findIndex((f) => {
      try {
        return matches(f.match, view);
      } catch {
        return false;
      }
    });
    if (i < 0) return {};
    const f = list[i];
    if (--f.remaining <= 0) list.splice(i, 1);
    return f.spec;
  }

  // With limitRate(), a request beyond `max` in the last `windowMs` gets the 429 Comet answers; else undefined.
  function overRateLimit(now) {
    if (!rateLimit) return undefined;
    const { served, windowMs, max, retryAfterSeconds } = rateLimit;
    while (served.length && served[0] <= now - windowMs) served.shift();
    if (served.length < max) {
      served.push(now);
      return undefined;
    }
    return { status: 429, headers: { 'Retry-After': String(retryAfterSeconds) } };
  }

  // The status the request was answered with, once it is (undefined: no answer, e.g. a reset).
  function recordStatus(record, res) {
    res.on('close', () => {
      record.status = res.headersSent ? res.statusCode : undefined;
    });
  }

  const drained = (res) => new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });

  function makeServer(handler) {
    const srv = options.tls ? https.createServer({ ...options.tls }, handler) : http.createServer(handler);
    const sockets = new Set();
    srv.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    srv.on('clientError', (err, socket) => destroySocket(socket));
    srv.on('tlsClientError', (err, socket) => destroySocket(socket));
    srv.sockets = sockets;
    return srv;
  }

  function lookupKey(header) {
    if (typeof header !== 'string' || !header) return null;
    if (Object.prototype.hasOwnProperty.call(apiKeys, header)) return apiKeys[header];
    const star = header.indexOf('*');
    if (star > 0) {
      const short = header.slice(0, star);
      if (Object.prototype.hasOwnProperty.call(apiKeys, short)) return apiKeys[short];
    }
    return null;
  }

  function faultResult(spec) {
    const status = spec.status !== undefined ? spec.status : spec.html ? 502 : 200;
    let body = spec.body;
    let contentType = spec.contentType;
    if (body === undefined) {
      if (spec.html) body = nginxPage(status);
      else if (status >= 400) body = cometErrorBody(status, status === 429 ? 'Too many requests, slow down' : `Sample server fault: HTTP ${status}`);
      else body = '';
    }
    if (contentType === undefined) contentType = spec.html ? 'text/html' : Buffer.isBuffer(body) ? 'application/octet-stream' : 'application/json';
    const headers = {};
    if (contentType !== null) headers['Content-Type'] = contentType;
    return { status, headers, body };
  }

  async function normalResult(ctx, req, inRoot, bodyError) {
    if (!inRoot) {
      if (ctx.path === '/' || ctx.path === pathPrefix || ctx.path === pathPrefix + '/') {
        return { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: `Comet sample server. REST root: ${restRoot}\n` };
      }
      return { status: 404, headers: { 'Content-Type': 'application/json' }, body: cometErrorBody(404, `Not found: ${ctx.path}`) };
    }
    const route = findRoute(ctx.method, ctx.path);
    if (!route) return { status: 404, headers: { 'Content-Type': 'application/json' }, body: cometErrorBody(404, `Unknown endpoint: ${ctx.path}`) };
    const user = lookupKey(req.headers.authorization);
    if (!user) return { status: 401, headers: { 'Content-Type': 'application/json' }, body: cometErrorBody(401, 'Invalid API key', 90212) };
    if (!route.handler) {
      return { status: 405, headers: { 'Content-Type': 'application/json', Allow: route.methods.join(', ') }, body: cometErrorBody(405, `Method ${ctx.method} not allowed on ${ctx.path}`) };
    }
    if (ctx.method === 'POST' && bodyError) return { status: 400, headers: { 'Content-Type': 'application/json' }, body: cometErrorBody(400, 'Malformed JSON body') };
    try {
      return await route.handler({ ...ctx, user, data, restRoot, storageUrl: storage.url, signal: abort.signal });
    } catch (err) {
      if (err instanceof ApiError) return { status: err.status, headers: { 'Content-Type': 'application/json' }, body: cometErrorBody(err.status, err.message, err.sdkErrorCode) };
      return { status: 500, headers: { 'Content-Type': 'application/json' }, body: cometErrorBody(500, `Sample server error: ${err && err.message}`) };
    }
  }

  // Sends a result, honouring byte ranges, the fault modifiers (truncate, mid-body reset, cut, trickle) and
  // backpressure; counts the body bytes written in `stats.bytesSent`.
  async function send(req, res, result, spec, stats) {
    // Lower-cased, so a fault's `content-type` replaces the endpoint's `Content-Type` instead of doubling it.
    const headers = {};
    for (const [k, v] of Object.entries({ ...result.headers }).concat(Object.entries(spec.headers || {}))) headers[k.toLowerCase()] = v;
    const truncate = spec.truncate || spec.reset === 'mid-body' || spec.cutAfter !== undefined;
    let chunks;
    let length;
    let whole; // the body, when it is held in memory
    if (result.stream && !(truncate && result.stream.length === undefined)) {
      chunks = result.stream.chunks();
      length = result.stream.length;
    } else {
      whole = result.stream ? Buffer.concat([...result.stream.chunks()]) : toBuffer(result.body);
      chunks = whole.length ? [whole] : [];
      length = whole.length;
    }
    let status = result.status;
    if (spec.ranges !== false && servesRanges(req.method, status, headers, length)) {
      const etag = whole ? etagOf(whole) : result.stream.etag;
      if (etag && !headers.etag) headers.etag = etag;
      const range = rangeOf(req.headers, headers, length);
      if (range.unsatisfiable) {
        [status, chunks, headers['content-range']] = [416, [], `bytes */${length}`];
        length = 0;
      } else if (range.start > 0) {
        [status, chunks, headers['content-range']] = [206, skipBytes(chunks, range.start), `bytes ${range.start}-${length - 1}/${length}`];
        length -= range.start;
      }
    }
    if (length !== undefined) headers['content-length'] = length;
    const noBody = req.method === 'HEAD' || status === 204 || status === 304;
    if (noBody) delete headers['content-length'];
    res.writeHead(status, headers);
    if (noBody) return void res.end();

    // A cut that would come at or after the end is no cut: the answer completes.
    const cut = spec.cutAfter !== undefined && spec.cutAfter < length;
    let limit = cut ? spec.cutAfter : truncate && spec.cutAfter === undefined ? Math.floor(length / 2) : Infinity;
    const piece = spec.trickleMs ? spec.trickleBytes || Math.max(1, Math.ceil((length || 10240) / 10)) : Infinity;
    for (let chunk of chunks) {
      if (limit <= 0) break;
      if (chunk.length > limit) chunk = chunk.subarray(0, limit);
      limit -= chunk.length;
      for (let off = 0; off < chunk.length; off += piece) {
        if (closed || res.destroyed) return;
        const part = piece === Infinity ? chunk : chunk.subarray(off, off + piece);
        if (spec.trickleMs) await sleep(spec.trickleMs);
        if (closed || res.destroyed) return;
        stats.bytesSent += part.length;
        if (!res.write(part)) await drained(res);
      }
    }
    if (closed || res.destroyed) return;
    if (spec.reset === 'mid-body') {
      await sleep(25); // let headers and the first half reach the client, then send a TCP RST
      destroySocket(req.socket, true);
      return;
    }
    if (spec.truncate || cut) {
      req.socket.end(); // flushes what was written, then FIN: fewer bytes than Content-Length announced
      return;
    }
    res.end();
  }

  async function handle(req, res) {
    res.on('error', () => {});
    inFlight++;
    if (inFlight > maxInFlight) maxInFlight = inFlight;
    res.on('close', () => { inFlight--; });

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

    const chunks = [];
    let size = 0;
    let tooLarge = false;
    try {
      for await (const c of req) {
        size += c.length;
        if (size > MAX_BODY) {
          tooLarge = true;
          break;
        }
        chunks.push(c);
      }
    } catch {
      return; // client went away
    }
    const rawBody = Buffer.concat(chunks).toString('utf8');
    let body;
    let bodyError = false;
    if (rawBody.length) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = rawBody;
        bodyError = true;
      }
    }
    const record = { method: req.method, path, query, headers: { ...req.headers }, body, at: Date.now() };
    requests.push(record);
    recordStatus(record, res);
    if (closed) return;
    if (tooLarge) {
      res.writeHead(413, { 'Content-Type': 'application/json', Connection: 'close' });
      res.end(JSON.stringify(cometErrorBody(413, 'Request body too large')));
      return;
    }

    const spec = overRateLimit(record.at) || takeFault(faults, { method: req.method, path, query });

    try {
      if (spec.delayMs) {
        await sleep(spec.delayMs);
        if (closed || res.destroyed) return;
      }
      if (spec.reset === 'before-headers') return void destroySocket(req.socket, true);
      if (spec.hang) return; // never answered; close() destroys the socket
      const custom = spec.status !== undefined || spec.body !== undefined || spec.html;
      const result = custom ? faultResult(spec) : await normalResult({ method: req.method, path, query, body }, req, inRoot, bodyError);
      if (closed || res.destroyed) return;
      await send(req, res, result, spec, stats);
    } catch (err) {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(cometErrorBody(500, `Sample server error: ${err && err.message}`)));
      } else {
        destroySocket(req.socket);
      }
    }
  }

  // The storage server stands for S3 behind a pre-signed URL: another origin, no Comet key wanted.
  function storageResult(req, url) {
    const xml = (status, code, message) => ({
      status,
      headers: { 'Content-Type': 'application/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
    });
    const m = /^\/comet-assets\/([^/]+)\/([^/]+)\/[^/]+$/.exec(url.pathname);
    if (!m || (req.method !== 'GET' && req.method !== 'HEAD')) return xml(404, 'NoSuchKey', 'The specified key does not exist.');
    if (req.headers.authorization) return xml(400, 'InvalidArgument', 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified');
    const exp = data.experiments[decodeURIComponent(m[1])];
    const asset = exp && exp.assets.find((a) => a.assetId === decodeURIComponent(m[2]));
    const signature = asset && crypto.createHash('sha256').update(`${exp.experimentKey}/${asset.assetId}`).digest('hex');
    if (!asset) return xml(404, 'NoSuchKey', 'The specified key does not exist.');
    if (url.searchParams.get('X-Amz-Signature') !== signature) return xml(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    return { status: 200, headers: { 'Content-Type': 'application/octet-stream' }, body: asset.content };
  }

  async function handleStorage(req, res) {
    res.on('error', () => {});
    const url = new URL(req.url, 'http://127.0.0.1');
    const record = { method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: { ...req.headers }, at: Date.now() };
    storageRequests.push(record);
    recordStatus(record, res);
    req.resume();
    const spec = takeFault(storageFaults, { method: req.method, path: url.pathname, query: record.query });
    const result = spec.status !== undefined ? faultResult(spec) : storageResult(req, url);
    await send(req, res, result, spec, storageStats);
  }

  const main = makeServer((req, res) => {
    handle(req, res).catch(() => destroySocket(req.socket));
  });
  const storageServer = makeServer((req, res) => {
    handleStorage(req, res).catch(() => destroySocket(req.socket));
  });
  let port;
  let storagePort;
  try {
    [port, storagePort] = await Promise.all([listen(main, options.port || 0), listen(storageServer, 0)]);
  } catch (err) {
    await Promise.all([main, storageServer].map((srv) => new Promise((resolve) => (srv.listening ? srv.close(() => resolve()) : resolve()))));
    throw err;
  }
  const url = `${proto}://127.0.0.1:${port}`;
  const restRoot = `${url}${pathPrefix}/api/rest/v2/`;

  const storage = {
    url: `${proto}://127.0.0.1:${storagePort}`,
    port: storagePort,
    requests: storageRequests,
    clearRequests() {
      storageRequests.length = 0;
    },
    /** Body bytes the storage server has written since resetStats(). */
    get bytesSent() {
      return storageStats.bytesSent;
    },
    /** Queues a fault for the next storage request(s): the main server's spec, without a match. */
    fault(spec) {
      storageFaults.push(validateFault('*', spec));
    },
  };

  function closeServer(srv) {
    return new Promise((resolve) => {
      srv.close(() => resolve());
      for (const s of srv.sockets) s.destroy();
    });
  }

  const server = {
    url,
    restRoot,
    port,
    pathPrefix,
    apiKey: Object.keys(apiKeys)[0],
    requests,
    data,
    registry: data.registry,
    storage,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    /** Faults still queued: [{ match, spec, remaining }]. */
    get pendingFaults() {
      return faults.map((f) => ({ ...f }));
    },
    clearRequests() {
      requests.length = 0;
    },
    /** Body bytes the server has written since resetStats() (the storage server's: storage.bytesSent). */
    get bytesSent() {
      return stats.bytesSent;
    },
    resetStats() {
      maxInFlight = inFlight;
      stats.bytesSent = 0;
      storageStats.bytesSent = 0;
    },
    fault(match, spec) {
      faults.push(validateFault(match, spec));
    },
    clearFaults() {
      faults = [];
      storageFaults = [];
    },
    /**
     * Comet's rate limit, simulated: beyond `max` requests in any `windowMs`, HTTP 429 with
     * `Retry-After: retryAfterSeconds`. `null` lifts it.
     */
    limitRate(limit) {
      rateLimit = limit ? { max: limit.max, windowMs: limit.windowMs || 1000, retryAfterSeconds: limit.retryAfterSeconds ?? 1, served: [] } : null;
    },
    close() {
      if (!closing) {
        closed = true;
        abort.abort();
        for (const [t, resolve] of sleepers) {
          clearTimeout(t);
          resolve();
        }
        sleepers.clear();
        faults = [];
        storageFaults = [];
        rateLimit = null;
        closing = Promise.all([closeServer(main), closeServer(storageServer)])
          // libuv releases a closed handle in the loop's close phase: two turns later it is gone
          // from process.getActiveResourcesInfo(), so callers can check for leaks right away.
          .then(() => new Promise((resolve) => setImmediate(resolve)))
          .then(() => new Promise((resolve) => setImmediate(resolve)));
      }
      return closing;
    },
  };
  return server;
}

module.exports = { createSampleServer, DEFAULT_API_KEYS };
