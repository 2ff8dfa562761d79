'use strict';
// The filter field's preview: GET /comet-config/<id>/filter compiles what is
// typed against the project's columns, answered by the runtime through the
// lookups' cache (the editor types many times; Comet is asked once a minute),
// with the lookups' read permission; the predicates, or the error a msg
// would fail with.
const assert = require('node:assert/strict');
const { ids } = require('../../sample-server/data');
const { helper, SAMPLE_KEY, configNode, load, useNodeRed } = require('../helpers/runtime');
const { useSampleServer } = require('../helpers/sample-server');

describe('editor filter preview', function () {
  const ctx = useSampleServer();
  useNodeRed();
  beforeEach(() => load([configNode(ctx.server)]));

  async function preview(query, status = 200, id = 'cfg') {
    const res = await helper.request().get(`/comet-config/${id}/filter`).query(query).expect(status);
    assert.ok(!JSON.stringify(res.body).includes(SAMPLE_KEY), 'an answer holds the key');
    return res.body;
  }
  const paths = () => ctx.server.requests.map((r) => r.path);

  it('the predicates of each query, one per branch of an or; blank: none', async function () {
    const { queries } = await preview({ projectName: 'churn', filter: 'accuracy > 0.8 and model_type == "xgboost"' });
    assert.deepEqual(queries, [
      [
        { source: 'metrics', query: { condition: 'AND', rules: [{ id: 'accuracy', field: 'accuracy', type: 'double', operator: 'greater', value: 0.8 }], valid: true } },
        { source: 'params', query: { condition: 'AND', rules: [{ id: 'model_type', field: 'model_type', type: 'string', operator: 'equal', value: 'xgboost' }], valid: true } },
      ],
    ]);
    assert.equal((await preview({ projectId: ids.projects.churn, filter: 'tag("best") or max_depth < 6' })).queries.length, 2);
    assert.deepEqual(await preview({ projectName: 'churn', filter: '  ' }), { queries: [] });
  });

  it('as many previews as keys typed: one request for the columns, shared with the columns lookup', async function () {
    for (const filter of ['a', 'ac', 'acc', 'accuracy', 'accuracy >', 'accuracy > 0.8']) await helper.request().get('/comet-config/cfg/filter').query({ projectName: 'churn', filter });
    await helper.request().get('/comet-config/cfg/lookup/columns').query({ projectName: 'churn' }).expect(200);
    assert.deepEqual(paths(), ['project/column-names']);
  });

  it('the error a msg would fail with, as an answer (200: the filter is wrong, not the request)', async function () {
    assert.deepEqual(await preview({ projectName: 'churn', filter: 'acuracy > 0.8' }), { error: 'unknown column "acuracy": did you mean accuracy (metric)?', code: 'COMET_BAD_INPUT' });
    assert.match((await preview({ projectName: 'churn', filter: 'accuracy.between(1)' })).error, /^between needs two numbers/);
    assert.match((await preview({ projectName: 'churn', filter: 'accuracy >' })).error, /The filter cannot be read/);
  });

  it('no project in the dialog: saying to fill it in, nothing sent', async function () {
    assert.match((await preview({ filter: 'accuracy > 0.8' })).error, /Fill in "Project name" first/);
    assert.deepEqual(paths(), []);
  });

  it("Comet failing: the lookups' HTTP error", async function () {
    await helper.unload();
    await load([configNode(ctx.server, { retries: 0 })]);
    ctx.server.fault('project/column-names', { status: 503 });
    const { error, code } = await preview({ projectName: 'churn', filter: 'accuracy > 0.8' }, 502);
    assert.equal(code, 'COMET_SERVER_ERROR');
    assert.match(error, /HTTP 503/);
  });

  it('a config node that is not deployed: 404', async function () {
    assert.match((await preview({ projectName: 'churn', filter: 'accuracy > 0.8' }, 404, 'nope')).error, /Deploy the config node first/);
  });
});
