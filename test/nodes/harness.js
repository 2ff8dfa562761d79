'use strict';
// What every node test of test/nodes/ does: one sample server per file, a
// fresh Node-RED per test with the node under test wired to a helper (its
// output) and a Catch node (its failures), and checks of what reached the
// sample server.
const assert = require('node:assert/strict');
const { helper, SAMPLE_KEY, configNode, credentialsFor, load, useNodeRed } = require('../helpers/runtime');
const { useSampleServer } = require('../helpers/sample-server');
const { CATALOGUE } = require('../../nodes/catalogue/catalogue');
const { statusSpy } = require('../helpers/status');
const { flowAround, recordOutcomes } = require('../helpers/outcomes');

/**
 * Mocha hooks for a describe block of node tests: useSampleServer() for the
 * block, useNodeRed() for each test. Returns the sample server's context.
 */
function useNodeTest() {
  const ctx = useSampleServer();
  useNodeRed();
  return ctx;
}

/**
 * Loads `props` (type, operation, fields...) as the node under test, in the
 * flow of flowAround() with config node 'cfg' (options: configNode's, plus
 * apiKey). Returns { node, outcomes, status }: the node, the record of what
 * came out of it, and its status spy.
 */
async function loadNode(server, props, configOptions = {}) {
  const config = configNode(server, configOptions);
  await load(flowAround(props, [config]), credentialsFor(config, configOptions.apiKey));
  const node = helper.getNode('n');
  return { node, outcomes: recordOutcomes(), status: statusSpy(node) };
}

/** Sends `msg` to the node and resolves with the msg it sends on; a caught msg fails the test. */
async function succeed(loaded, msg) {
  const result = loaded.outcomes.next();
  loaded.node.receive(msg);
  const { sent, caught } = await result;
  if (caught) assert.fail(`expected a msg out, the Catch node got: ${caught.error && caught.error.message}`);
  return sent;
}

/** Sends `msg` to the node and resolves with the msg the Catch node gets; a msg sent on fails the test. */
async function fail(loaded, msg) {
  const result = loaded.outcomes.next();
  loaded.node.receive(msg);
  const { sent, caught } = await result;
  if (sent) assert.fail(`expected a failure, the node sent msg.payload ${JSON.stringify(sent.payload).slice(0, 200)}`);
  return caught;
}

/** The one request the sample server got, checked for the sample key in the Authorization header. */
function onlyRequest(server) {
  assert.equal(server.requests.length, 1, `requests: ${server.requests.map((r) => `${r.method} ${r.path}`).join(', ')}`);
  const request = server.requests[0];
  assert.equal(request.headers.authorization, SAMPLE_KEY);
  return request;
}

/** A Catch node's msg for a bad input: code, cause, a message naming `words`, nothing sent to Comet. */
function assertBadInput(server, caught, ...words) {
  assert.equal(caught.error.code, 'COMET_BAD_INPUT');
  assert.equal(caught.error.cause.code, 'COMET_BAD_INPUT');
  for (const word of words) assert.match(caught.error.message, new RegExp(escape(word)), `"${caught.error.message}" should name ${word}`);
  assert.equal(server.requests.length, 0, 'nothing may be sent for a bad input');
}

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * One test per case: the request that reaches the sample server (method,
 * path, every query parameter or body field, the key), the msg that comes
 * out (payload checked by `check`, other properties passed through), and the
 * green status; plus a test that the cases cover every operation of `type`.
 * A case: { title?, operation, props?, msg, method?, path, query?, body?, check(payload, server), status? (text, or a function of the payload) }.
 */
function describeOperations(ctx, type, cases) {
  it('has a case for every operation of the catalogue', function () {
    const covered = new Set(cases.map((c) => c.operation));
    assert.deepEqual(Object.keys(CATALOGUE[type].operations).filter((op) => !covered.has(op)), []);
  });
  for (const c of cases) {
    it(c.title || `${c.operation}: ${c.method || 'GET'} ${c.path}`, async function () {
      const { server } = ctx;
      const loaded = await loadNode(server, { type, operation: c.operation, ...c.props });
      const msg = typeof c.msg === 'function' ? c.msg(server) : c.msg;
      const out = await succeed(loaded, { ...msg, topic: 'kept', _msgid: 'case-1' });
      const request = onlyRequest(server);
      assert.equal(request.method, c.method || 'GET');
      assert.equal(request.path, c.path);
      assert.deepEqual(request.query, c.query || {});
      assert.deepEqual(request.body, c.body);
      assert.equal(out.topic, 'kept');
      c.check(out.payload, server);
      if (c.status) {
        const shown = await loaded.status.until((s) => s.fill === 'green');
        assert.deepEqual(shown, { fill: 'green', shape: 'dot', text: typeof c.status === 'function' ? c.status(out.payload) : c.status });
      }
    });
  }
}

/**
 * One test per bad input: the msg goes to the Catch node with COMET_BAD_INPUT,
 * a message naming the words given, and nothing reaches Comet.
 * A case: [operation, msg, words, props?, configOptions?].
 */
function describeBadInputs(ctx, type, cases) {
  for (const [operation, msg, words, props, configOptions] of cases) {
    it(`${operation || 'msg'} ${JSON.stringify(msg).slice(0, 120)}${props ? ` with ${JSON.stringify(props)}` : ''}`, async function () {
      const loaded = await loadNode(ctx.server, { type, operation, ...props }, configOptions);
      assertBadInput(ctx.server, await fail(loaded, msg), ...words);
    });
  }
}

/**
 * workspace of `operation`: the node field beats msg.workspace, which beats
 * the config node default; none anywhere fails with a message naming
 * `missing`. `msg` holds the operation's other inputs; `wire` is the name
 * Comet gets it under.
 */
const WORKSPACE_MISSING = ['workspace is missing', '"Workspace" field', 'msg.workspace'];
function describeWorkspaceChain(ctx, type, operation, msg = {}, { wire = 'workspaceName', missing = WORKSPACE_MISSING } = {}) {
  describe(`${operation}: workspace from the node, else msg.workspace, else the config node, else an error`, function () {
    const sentWorkspace = () => onlyRequest(ctx.server).query[wire];

    it('the node field wins over msg.workspace', async function () {
      const loaded = await loadNode(ctx.server, { type, operation, workspace: 'research', workspaceType: 'str' });
      await settle(loaded, { ...msg, workspace: 'ml-team' });
      assert.equal(sentWorkspace(), 'research');
    });

    it('msg.workspace wins over the config node default', async function () {
      const loaded = await loadNode(ctx.server, { type, operation });
      await settle(loaded, { ...msg, workspace: 'research' });
      assert.equal(sentWorkspace(), 'research');
    });

    it('the config node default, when node and msg have none', async function () {
      const loaded = await loadNode(ctx.server, { type, operation }, { workspace: 'research' });
      await settle(loaded, { ...msg, workspace: '' });
      assert.equal(sentWorkspace(), 'research');
    });

    it('none anywhere: the msg fails naming workspace, nothing sent', async function () {
      const loaded = await loadNode(ctx.server, { type, operation }, { workspace: '' });
      assertBadInput(ctx.server, await fail(loaded, msg), ...missing);
    });
  });
}

/** Sends `msg` and waits for it to come out either way (an answer about another workspace may be "not found"). */
async function settle(loaded, msg) {
  const result = loaded.outcomes.next();
  loaded.node.receive(msg);
  return result;
}

/**
 * What every operation node does around the request, checked on `operation`
 * with `msg` (which must succeed against the sample server): other msg
 * properties pass through (msg.req/msg.res by reference), the status goes
 * blue ring then green dot with `summary`, and a failure from Comet reaches
 * the Catch node with msg.error code and cause, the msg kept, a red ring.
 */
function describeMessageHandling(ctx, type, { operation, msg, summary, props = {} }) {
  // comet-request has no operation: its path is the endpoint.
  const endpoint = operation ? CATALOGUE[type].operations[operation].path : props.path;
  describe(`msg and status (${operation || endpoint})`, function () {
    it('passes every other msg property through, msg.req and msg.res of an http in node included', async function () {
      const loaded = await loadNode(ctx.server, { type, operation, ...props });
      const req = { method: 'GET', headers: { host: 'node-red' }, params: {}, query: {}, get() {} };
      const res = { _res: { statusCode: 200, send() {} } };
      const out = await succeed(loaded, { ...msg, req, res, topic: 'kept', nested: { list: [1, 2] }, other: 3 });
      assert.equal(out.req, req);
      assert.equal(out.res, res);
      assert.equal(out.topic, 'kept');
      assert.deepEqual(out.nested, { list: [1, 2] });
      assert.equal(out.other, 3);
      for (const [name, value] of Object.entries(msg)) assert.deepEqual(out[name], value, `msg.${name} is an input and stays`);
    });

    it(`status: blue ring while requesting, then green dot "${summary}"`, async function () {
      const loaded = await loadNode(ctx.server, { type, operation, ...props });
      await succeed(loaded, { ...msg });
      await loaded.status.until((s) => s.fill === 'green');
      assert.deepEqual(loaded.status.seen, [
        { fill: 'blue', shape: 'ring', text: 'requesting' },
        { fill: 'green', shape: 'dot', text: summary },
      ]);
    });

    it('a failure from Comet: the Catch node gets the msg with msg.error code and cause; red ring', async function () {
      ctx.server.fault(() => true, { status: 404, body: { msg: 'Nothing here', code: 404, data: null, sdk_error_code: 0 } });
      const loaded = await loadNode(ctx.server, { type, operation, ...props });
      const caught = await fail(loaded, { ...msg, topic: 'kept' });
      assert.equal(caught.topic, 'kept');
      assert.equal(caught.error.code, 'COMET_NOT_FOUND');
      assert.deepEqual(caught.error.cause, { code: 'COMET_NOT_FOUND', statusCode: 404, endpoint });
      assert.match(caught.error.message, /Nothing here/);
      await loaded.status.until((s) => s.fill === 'red');
      assert.deepEqual(loaded.status.seen, [
        { fill: 'blue', shape: 'ring', text: 'requesting' },
        { fill: 'red', shape: 'ring', text: 'not found (404)' },
      ]);
    });
  });
}

module.exports = {
  useNodeTest,
  loadNode,
  succeed,
  fail,
  onlyRequest,
  assertBadInput,
  describeOperations,
  describeBadInputs,
  describeWorkspaceChain,
  describeMessageHandling,
};
