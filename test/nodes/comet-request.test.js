'use strict';
const assert = require('node:assert/strict');
const { ids } = require('../../sample-server/data');
const { useNodeTest, loadNode, succeed, fail, onlyRequest, describeBadInputs, describeMessageHandling } = require('./harness');

const TYPE = 'comet-request';
const key = ids.experiments['xgb-depth8'];

describe('comet-request', function () {
  const ctx = useNodeTest();

  /** Loads the node with `props`, sends `msg`, returns { out, request }. */
  async function roundTrip(props, msg) {
    const loaded = await loadNode(ctx.server, { type: TYPE, ...props });
    const out = await succeed(loaded, msg);
    return { out, request: onlyRequest(ctx.server), loaded };
  }

  describe('requests', function () {
    it('GET: the node path under the REST root, msg.query as the query, the key in Authorization; JSON parsed', async function () {
      const { out, request, loaded } = await roundTrip({ method: 'GET', path: 'experiment/metadata' }, { query: { experimentKey: key }, payload: 'ignored for GET' });
      assert.equal(request.method, 'GET');
      assert.equal(request.path, 'experiment/metadata');
      assert.deepEqual(request.query, { experimentKey: key });
      assert.equal(request.body, undefined);
      assert.equal(out.payload.experimentName, 'xgb-depth8');
      assert.deepEqual(await loaded.status.until((s) => s.fill === 'green'), { fill: 'green', shape: 'dot', text: 'done' });
    });

    it('POST: msg.payload is the JSON body', async function () {
      const body = { projectId: ids.projects.churn, predicates: [{ source: 'tag', query: { condition: 'AND', rules: [{ field: 'tags', operator: 'equal', value: 'best' }] } }] };
      const { out, request } = await roundTrip({ method: 'POST', path: 'project/query' }, { payload: body });
      assert.equal(request.method, 'POST');
      assert.equal(request.path, 'project/query');
      assert.deepEqual(request.query, {});
      assert.deepEqual(request.body, body);
      assert.equal(request.headers['content-type'], 'application/json');
      assert.deepEqual(out.payload, { experimentKeys: [key], experimentsInProject: 6 });
    });

    it('POST: JSON text in msg.payload is sent as the JSON it holds', async function () {
      await roundTrip({ method: 'POST', path: 'experiments/multi-metric-chart' }, { payload: JSON.stringify({ targetedExperiments: [key], metrics: ['loss'] }) });
      assert.deepEqual(ctx.server.requests[0].body, { targetedExperiments: [key], metrics: ['loss'] });
    });

    it('POST with no msg.payload sends {}', async function () {
      const loaded = await loadNode(ctx.server, { type: TYPE, method: 'POST', path: 'project/query' });
      const caught = await fail(loaded, {});
      assert.deepEqual(onlyRequest(ctx.server).body, {});
      assert.equal(caught.error.code, 'COMET_BAD_REQUEST');
    });

    it('query values: numbers and booleans as text, null and undefined left out', async function () {
      await roundTrip({ path: 'projects/page' }, { query: { workspaceName: 'ml-team', count: 2, public: false, owner: null, sort: undefined } });
      assert.deepEqual(ctx.server.requests[0].query, { workspaceName: 'ml-team', count: '2', public: 'false' });
    });

    it('a raw answer is a Buffer, and the status gives its size', async function () {
      const { out, loaded } = await roundTrip({ path: 'experiment/git/patch' }, { query: { experimentKey: ids.experimentWithPatch } });
      assert.ok(Buffer.isBuffer(out.payload));
      assert.match(out.payload.toString(), /^diff --git a\/train.py/);
      assert.deepEqual(await loaded.status.until((s) => s.fill === 'green'), { fill: 'green', shape: 'dot', text: `${out.payload.length} B` });
    });

    it("Comet's JSON note on a raw endpoint comes out exactly as Comet sends it", async function () {
      const { out } = await roundTrip({ path: 'experiment/git/patch' }, { query: { experimentKey: ids.experimentWithoutPatch } });
      assert.deepEqual(out.payload, { msg: 'no patch for experiment', code: 200, data: null, sdk_error_code: 0 });
    });
  });

  describe('where method and path come from', function () {
    it('blank path and method: msg.path and msg.method', async function () {
      const { request } = await roundTrip({ method: '', path: '' }, { method: 'post', path: 'project/query', payload: { projectId: ids.projects.fraud } });
      assert.equal(request.method, 'POST');
      assert.equal(request.path, 'project/query');
    });

    it('blank method and no msg.method: GET', async function () {
      const { request } = await roundTrip({ method: '' }, { path: 'workspaces' });
      assert.equal(request.method, 'GET');
    });

    it('the node path and method win over msg.path and msg.method', async function () {
      const { request } = await roundTrip({ method: 'GET', path: 'workspaces' }, { method: 'POST', path: 'project/query' });
      assert.equal(request.method, 'GET');
      assert.equal(request.path, 'workspaces');
    });
  });

  describe('bad input: the msg fails, nothing is sent', function () {
    const leaving = [
      'https://evil.example/api/rest/v2/workspaces',
      '//evil.example/x',
      'javascript:alert(1)',
      '/api/rest/v2/workspaces',
      '../v1/workspaces',
      'experiment/../../x',
      'experiment/..',
      'a\\..\\..\\x',
      '%2e%2e/x',
      'experiment/%2E%2E/%2e./x',
      'a%2f..%2f..%2fx',
      'a%5cb',
      'workspaces?workspaceName=x',
      'workspaces#x',
    ];
    describeBadInputs(
      ctx,
      TYPE,
      leaving.map((path) => [undefined, { path }, ['leaves Comet\'s REST root', JSON.stringify(path).slice(1, -1).replace(/\\\\/g, '\\')]]),
    );
    describeBadInputs(ctx, TYPE, [
      [undefined, {}, ['path is missing', '"Path" field', 'msg.path']],
      [undefined, { path: 42 }, ['path must be text', 'number 42']],
      [undefined, { path: 'work\nspaces' }, ['path must be text', 'without control characters']],
      [undefined, { path: 'workspaces', method: 'DELETE' }, ['method must be GET or POST', '"DELETE"', 'msg.method'], { method: '' }],
      [undefined, { path: 'workspaces', query: ['a'] }, ['msg.query must be an object', 'an array of 1']],
      [undefined, { path: 'workspaces', query: 'a=b' }, ['msg.query must be an object']],
      [undefined, { path: 'workspaces', query: { a: { b: 1 } } }, ['msg.query.a must be text, a number or a boolean', 'an object']],
      [undefined, { path: 'project/query', payload: 5 }, ['msg.payload must be the POST body', 'number 5'], { method: 'POST' }],
      [undefined, { path: 'project/query', payload: 'not json' }, ['msg.payload must be the POST body', '"not json"'], { method: 'POST' }],
      [undefined, { path: 'project/query', payload: Buffer.from('{}') }, ['msg.payload must be the POST body'], { method: 'POST' }],
    ]);
  });

  describe('failures from Comet reach the Catch node', function () {
    it('an unknown endpoint: COMET_NOT_FOUND naming it', async function () {
      const loaded = await loadNode(ctx.server, { type: TYPE, path: 'no/such/endpoint' });
      const caught = await fail(loaded, { query: { experimentKey: 'k1' } });
      assert.equal(caught.error.code, 'COMET_NOT_FOUND');
      assert.deepEqual(caught.error.cause, { code: 'COMET_NOT_FOUND', statusCode: 404, endpoint: 'no/such/endpoint' });
      assert.match(caught.error.message, /experimentKey "k1"/);
    });

    it('a web page instead of data: COMET_UNEXPECTED_ANSWER', async function () {
      ctx.server.fault('workspaces', { status: 200, html: true });
      const loaded = await loadNode(ctx.server, { type: TYPE, path: 'workspaces' });
      const caught = await fail(loaded, {});
      assert.equal(caught.error.code, 'COMET_UNEXPECTED_ANSWER');
    });

    it('retries a 503 like every node, then answers', async function () {
      ctx.server.fault('workspaces', { status: 503, headers: { 'Retry-After': '0' } });
      const loaded = await loadNode(ctx.server, { type: TYPE, path: 'workspaces' });
      const out = await succeed(loaded, {});
      assert.equal(ctx.server.requests.length, 2);
      assert.deepEqual(out.payload, { workspaceNames: ['ml-team', 'research'] });
    });
  });

  describeMessageHandling(ctx, TYPE, { props: { method: 'GET', path: 'workspaces' }, msg: { query: { unused: 'x' } }, summary: 'done' });
});
