'use strict';
// The sample Comet server (sample-server/) for tests, over real HTTP on
// 127.0.0.1: one for a describe block, or a new one for each test.
const { createSampleServer } = require('../../sample-server');

/** Makes a server with `options` (or with what `options()` gives, for options an earlier hook makes). */
async function start(ctx, options) {
  ctx.server = await createSampleServer(typeof options === 'function' ? options() : options);
  ctx.experimentKey = Object.keys(ctx.server.data.experiments)[0];
}

/**
 * Mocha hooks for the enclosing describe: one sample server (made with
 * `options`) for the whole block, what the last test did to it (requests,
 * faults, storage requests, in-flight stats) cleared before each test; its
 * data stay as tests leave them. Returns the context whose `server` and
 * `experimentKey` (the first of the sample data) the tests use.
 */
function useSampleServer(options) {
  const ctx = {};
  before(() => start(ctx, options));
  after(() => ctx.server.close());
  beforeEach(() => {
    ctx.server.clearRequests();
    ctx.server.clearFaults();
    ctx.server.storage.clearRequests();
    ctx.server.resetStats();
  });
  return ctx;
}

/**
 * Mocha hooks for the enclosing describe: a new sample server (made with
 * `options`) for each test, closed after it, for tests that change its data
 * (registry stages, versions, models). Returns the context, as
 * useSampleServer does.
 */
function useSampleServerPerTest(options) {
  const ctx = {};
  beforeEach(() => start(ctx, options));
  afterEach(() => ctx.server.close());
  return ctx;
}

module.exports = { useSampleServer, useSampleServerPerTest };
