'use strict';
// Shared set-up for tests of the Comet client on its own (no Node-RED):
// a client pointed at a sample server, and what the calls answer.
const { CometClient } = require('../../nodes/client/client');
const { catalogTranslate } = require('../../nodes/node-red/i18n');
const { createSampleServer } = require('../../sample-server');
const { SAMPLE_KEY } = require('./runtime');

/** A client of `server` with the sample key; retries wait 1 ms unless told otherwise. */
function clientFor(server, options = {}) {
  return new CometClient({ server: server.url, apiKey: SAMPLE_KEY, label: 'test-config', retryBaseMs: 1, t: catalogTranslate(), ...options });
}

/**
 * Mocha hooks for the enclosing describe: one sample server (made with
 * `serverOptions`) for the block, its request logs, faults and stats cleared
 * before each test. Returns the object whose `server` and `experimentKey`
 * (of the sample data) the tests use.
 */
function useServer(serverOptions) {
  const ctx = {};
  before(async function () {
    ctx.server = await createSampleServer(serverOptions);
    ctx.experimentKey = Object.keys(ctx.server.data.experiments)[0];
  });
  after(async function () {
    await ctx.server.close();
  });
  beforeEach(function () {
    ctx.server.clearRequests();
    ctx.server.clearFaults();
    ctx.server.storage.clearRequests();
    ctx.server.resetStats();
  });
  return ctx;
}

/** useServer(), and a fresh client (with `clientOptions`) for each test as `client`. */
function useSampleServer(clientOptions = {}) {
  const ctx = useServer();
  beforeEach(function () {
    ctx.client = clientFor(ctx.server, clientOptions);
  });
  afterEach(async function () {
    await ctx.client.close();
  });
  return ctx;
}

/** The account-details call: the cheapest JSON endpoint. */
const ACCOUNT = { endpoint: 'account-details', method: 'GET', path: 'account-details' };

function metadataCall(experimentKey) {
  return { endpoint: 'experiment/metadata', method: 'GET', path: 'experiment/metadata', query: { experimentKey }, subject: { experimentKey } };
}

/** The rejection of `promise`; fails when it resolves. */
async function rejectionOf(promise) {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection, got a value');
}

module.exports = { clientFor, useServer, useSampleServer, ACCOUNT, metadataCall, rejectionOf };
