'use strict';
// A fake Comet REST API v2 server (read endpoints) for tests, demos and
// benchmarks. Listens on 127.0.0.1 only. See README.md in this folder.
// This file starts the two origins (the REST API, http/handle.js; the storage
// origin, http/storage.js) and hands out the server object tests drive.

const { createDataset } = require('./data');
const { createLifetime } = require('./http/lifetime');
const { createFaultQueue } = require('./http/faults');
const { createRateLimit } = require('./http/rate-limit');
const { createTraffic } = require('./http/traffic');
const { createRequestHandler } = require('./http/handle');
const { createEndpointAnswer } = require('./http/answer');
const { createStorageHandler } = require('./http/storage');
const { destroySocket, makeServer, listenAll, closeServer } = require('./http/sockets');

const DEFAULT_API_KEYS = { 'sample-key': { userName: 'ada', defaultWorkspaceName: 'ml-team' } };

function normalizePrefix(prefix) {
  if (!prefix || prefix === '/') return '';
  let p = String(prefix);
  if (!p.startsWith('/')) p = '/' + p;
  return p.replace(/\/+$/, '');
}

/** server.storage: the storage origin's URL, its request log and byte count, its faults. */
function storageView(url, port, { traffic, faults }) {
  return {
    url,
    port,
    requests: traffic.requests,
    clearRequests() {
      traffic.requests.length = 0;
    },
    /** Body bytes the storage server has written since resetStats(). */
    get bytesSent() {
      return traffic.bytesSent;
    },
    /** Queues a fault for the next storage request(s): the main server's spec, without a match. */
    fault(spec) {
      faults.add('*', spec);
    },
  };
}

/**
 * The object createSampleServer resolves to (see README.md). `api` and `store`:
 * each origin's { traffic, faults }; `servers`: the two listening servers.
 */
function sampleServer({ url, restRoot, port, pathPrefix, apiKeys, data, storage, api, store, rateLimit, life, servers }) {
  let closing = null;
  return {
    url,
    restRoot,
    port,
    pathPrefix,
    apiKey: Object.keys(apiKeys)[0],
    requests: api.traffic.requests,
    data,
    registry: data.registry,
    storage,
    get inFlight() {
      return api.traffic.inFlight;
    },
    get maxInFlight() {
      return api.traffic.maxInFlight;
    },
    /** Faults still queued: [{ match, spec, remaining }]. */
    get pendingFaults() {
      return api.faults.pending();
    },
    clearRequests() {
      api.traffic.requests.length = 0;
    },
    /** Body bytes the server has written since resetStats() (the storage server's: storage.bytesSent). */
    get bytesSent() {
      return api.traffic.bytesSent;
    },
    resetStats() {
      api.traffic.maxInFlight = api.traffic.inFlight;
      api.traffic.bytesSent = 0;
      store.traffic.bytesSent = 0;
    },
    fault(match, spec) {
      api.faults.add(match, spec);
    },
    clearFaults() {
      api.faults.clear();
      store.faults.clear();
    },
    /**
     * Comet's rate limit, simulated: beyond `max` requests in any `windowMs`, HTTP 429 with
     * `Retry-After: retryAfterSeconds`. `null` lifts it.
     */
    limitRate(limit) {
      rateLimit.set(limit);
    },
    close() {
      if (!closing) {
        life.end();
        api.faults.clear();
        store.faults.clear();
        rateLimit.set(null);
        closing = Promise.all(servers.map(closeServer))
          // libuv releases a closed handle in the loop's close phase: two turns later it is gone
          // from process.getActiveResourcesInfo(), so callers can check for leaks right away.
          .then(() => new Promise((resolve) => setImmediate(resolve)))
          .then(() => new Promise((resolve) => setImmediate(resolve)));
      }
      return closing;
    },
  };
}

/**
 * Starts a sample server. See README.md for options and the returned object.
 */
async function createSampleServer(options = {}) {
  const pathPrefix = normalizePrefix(options.pathPrefix);
  const apiKeys = options.apiKeys || DEFAULT_API_KEYS;
  const proto = options.tls ? 'https' : 'http';
  const data = createDataset({ downloadSize: options.downloadSize, chartSize: options.chartSize });
  const life = createLifetime();
  const rateLimit = createRateLimit();
  const api = { traffic: createTraffic(), faults: createFaultQueue() };
  const store = { traffic: createTraffic(), faults: createFaultQueue() };
  const urls = {}; // restRoot, storageUrl: known once the servers listen
  const answer = createEndpointAnswer({ pathPrefix, apiKeys, data, life, urls });
  const handle = createRequestHandler({ pathPrefix, ...api, rateLimit, life, answer });
  const handleStorage = createStorageHandler({ data, ...store, life });

  const main = makeServer(options.tls, (req, res) => {
    handle(req, res).catch(() => destroySocket(req.socket));
  });
  const storageServer = makeServer(options.tls, (req, res) => {
    handleStorage(req, res).catch(() => destroySocket(req.socket));
  });
  const [port, storagePort] = await listenAll([[main, options.port || 0], [storageServer, 0]]);
  const url = `${proto}://127.0.0.1:${port}`;
  urls.restRoot = `${url}${pathPrefix}/api/rest/v2/`;
  urls.storageUrl = `${proto}://127.0.0.1:${storagePort}`;
  const storage = storageView(urls.storageUrl, storagePort, store);
  return sampleServer({ url, restRoot: urls.restRoot, port, pathPrefix, apiKeys, data, storage, api, store, rateLimit, life, servers: [main, storageServer] });
}

module.exports = { createSampleServer, DEFAULT_API_KEYS };
