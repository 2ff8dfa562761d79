'use strict';
// Shared set-up for tests of the Comet client on its own (no Node-RED):
// clients of a sample server, the calls tests send, and a rejection to look at.
const { CometClient } = require('../../nodes/client/client');
const { catalogTranslate } = require('../../nodes/node-red/i18n');
const { SAMPLE_KEY } = require('./runtime');
const { useSampleServer } = require('./sample-server');

/** A client of `server` with the sample key; retries wait 1 ms unless told otherwise. */
function clientFor(server, options = {}) {
  return new CometClient({ server: server.url, apiKey: SAMPLE_KEY, label: 'test-config', retryBaseMs: 1, t: catalogTranslate(), ...options });
}

/** Runs `use(client)` with a client of `server` (clientFor's `options`), and closes the client after it whatever happens. */
async function withClient(server, options, use) {
  const client = clientFor(server, options);
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

/**
 * useSampleServer() for the enclosing describe, and a fresh client of it
 * (with `clientOptions`) for each test as the context's `client`.
 */
function useClient(clientOptions = {}) {
  const ctx = useSampleServer();
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

module.exports = { clientFor, withClient, useClient, ACCOUNT, metadataCall, rejectionOf };
