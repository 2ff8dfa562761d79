'use strict';
// comet-report against the sample server: every value equal to what Comet's
// own metrics summary says, sorting (empty cells last), limits, every format,
// user data escaped in each, bad input failing before any request, and the
// requests a report costs for 1, 50, 51 and 500 experiments.
const assert = require('node:assert/strict');
const { ids } = require('../../sample-server/data');
const { helper, configNode, load, nextMessage, useNodeRed } = require('../helpers/runtime');
const { useSampleServer } = require('../helpers/sample-server');
const { withClient } = require('../helpers/client');
const { until } = require('../helpers/wait');
const { loadNode, succeed, fail, assertBadInput } = require('./harness');

const TYPE = 'comet-report';
const e = ids.experiments;
/** The churn project's experiments that are not archived, in the project's order. */
const CHURN = ['logreg-baseline', 'xgb-depth4', 'xgb-depth6', 'xgb-depth8', 'xgb-depth10', 'mlp-2x64'];
const ACCURACY_ABOVE_08 = [{ source: 'metrics', query: { condition: 'AND', rules: [{ field: 'accuracy', type: 'double', operator: 'greater', value: 0.8 }] } }];

/** The node, with `props` set in it as str TypedInputs (json for arrays, bool/num for those). */
function reportNode(props = {}) {
  const node = { type: TYPE };
  for (const [name, value] of Object.entries(props)) {
    node[name] = typeof value === 'string' ? value : JSON.stringify(value);
    node[`${name}Type`] = Array.isArray(value) ? 'json' : typeof value === 'boolean' ? 'bool' : typeof value === 'number' ? 'num' : 'str';
  }
  return node;
}

const requestsOf = (server) => server.requests.map((r) => `${r.method} ${r.path}`);

describe('comet-report', function () {
  const ctx = useSampleServer();
  useNodeRed();

  describe('values', function () {
    it("every metric cell is the number Comet's summary of that metric gives, for every experiment", async function () {
      const metrics = ['loss:min', 'loss:max', 'loss:last', 'accuracy:min', 'accuracy:max', 'accuracy:last', 'val_loss:min', 'val_loss:max', 'val_loss'];
      const loaded = await loadNode(ctx.server, reportNode({ projectName: 'churn', metrics, params: ['learning_rate', 'max_depth'], format: 'rows', limit: 0 }));
      const out = await succeed(loaded, {});
      assert.equal(out.payload.length, CHURN.length);
      assert.deepEqual(out.payload, out.report.rows);
      await withClient(ctx.server, {}, async (client) => {
        for (const row of out.payload) {
          const summary = await client.json({ endpoint: 'experiment/metrics/summary', method: 'GET', path: 'experiment/metrics/summary', query: { experimentKey: row.experimentKey } });
          const of = (name) => summary.values.find((v) => v.name === name);
          for (const name of ['loss', 'accuracy', 'val_loss']) {
            assert.equal(row[`${name}:min`], Number(of(name).valueMin), `${row.experimentName} ${name}:min`);
            assert.equal(row[`${name}:max`], Number(of(name).valueMax), `${row.experimentName} ${name}:max`);
            assert.equal(row[`${name}:last`], Number(of(name).valueCurrent), `${row.experimentName} ${name}:last`);
          }
          assert.equal(typeof row['loss:min'], 'number');
          const params = ctx.server.data.experiments[row.experimentKey].params;
          assert.equal(row.learning_rate, params.learning_rate);
          assert.equal(row.max_depth, params.max_depth ?? null);
        }
      });
    });

    it('a metric logged more than fetchFull gives (15,000 values) is read from the summary instead, so min and max stay exact', async function () {
      const { server } = ctx;
      const bench = server.data.setChartSize({ experiments: 2, metrics: 1, points: 15_001 });
      const loaded = await loadNode(server, reportNode({ projectId: bench.projectId, metrics: ['metric_00:min', 'metric_00:max', 'metric_00:last'], format: 'rows' }));
      const out = await succeed(loaded, {});
      assert.deepEqual(requestsOf(server).filter((r) => r.endsWith('summary')).length, 2);
      await withClient(server, {}, async (client) => {
        for (const row of out.payload) {
          const summary = await client.json({ endpoint: 'experiment/metrics/summary', method: 'GET', path: 'experiment/metrics/summary', query: { experimentKey: row.experimentKey } });
          const [s] = summary.values;
          assert.deepEqual([row['metric_00:min'], row['metric_00:max'], row['metric_00:last']], [Number(s.valueMin), Number(s.valueMax), Number(s.valueCurrent)]);
        }
      });
    });
  });

  describe('sorting and limits', function () {
    const names = (out) => out.payload.map((r) => r.experimentName);

    it('sorts by the column named (highest first by default, lowest first with asc), keeps `limit` rows, and says how many it considered', async function () {
      const loaded = await loadNode(ctx.server, reportNode({ projectName: 'churn', metrics: ['loss:min', 'accuracy:max'], format: 'rows' }));
      const desc = await succeed(loaded, { sortBy: 'accuracy:max', limit: 3 });
      assert.deepEqual(names(desc), ['xgb-depth8', 'xgb-depth10', 'xgb-depth6']);
      assert.equal(desc.report.experimentsConsidered, 6);
      const asc = await succeed(loaded, { order: 'asc', limit: 2 });
      assert.deepEqual(names(asc), ['xgb-depth8', 'xgb-depth10']);
    });

    it('limit: 10 by default, 0 for all; the first metric column when sortBy is blank; `loss` means loss:last', async function () {
      const { server } = ctx;
      const bench = server.data.setChartSize({ experiments: 12, metrics: 1, points: 5 });
      const loaded = await loadNode(server, reportNode({ projectId: bench.projectId, format: 'rows' }));
      assert.equal((await succeed(loaded, { metrics: 'metric_00' })).payload.length, 10);
      const all = await succeed(loaded, { metrics: 'metric_00', limit: 0 });
      assert.equal(all.payload.length, 12);
      const values = all.payload.map((r) => r['metric_00:last']);
      assert.deepEqual(values, [...values].sort((a, b) => b - a));
    });

    it('an experiment that never logged the sort metric sorts last in either order; a parameter it lacks is null', async function () {
      const exp = ctx.server.data.experiments[e['xgb-depth6']];
      const kept = exp.metrics.val_loss;
      delete exp.metrics.val_loss;
      try {
        const loaded = await loadNode(ctx.server, reportNode({ projectName: 'churn', metrics: ['val_loss:min', 'loss'], params: ['max_depth'], format: 'rows', limit: 0 }));
        for (const order of ['asc', 'desc']) {
          const out = await succeed(loaded, { order });
          const last = out.payload[out.payload.length - 1];
          assert.equal(last.experimentName, 'xgb-depth6', order);
          assert.equal(last['val_loss:min'], null);
          assert.equal(typeof last['loss:last'], 'number');
          assert.equal(out.payload.find((r) => r.experimentName === 'mlp-2x64').max_depth, null);
          const sorted = out.payload.slice(0, -1).map((r) => r['val_loss:min']);
          assert.deepEqual(sorted, [...sorted].sort((a, b) => (order === 'asc' ? a - b : b - a)));
        }
      } finally {
        exp.metrics.val_loss = kept;
      }
    });
  });

  describe('which experiments', function () {
    it('predicates: only the matching ones (one query), as comet-query-project takes them', async function () {
      const loaded = await loadNode(ctx.server, reportNode({ projectName: 'churn', predicates: ACCURACY_ABOVE_08, metrics: ['accuracy:last'], format: 'rows', limit: 0 }));
      const out = await succeed(loaded, {});
      assert.deepEqual(out.payload.map((r) => r.experimentName).sort(), ['mlp-2x64', 'xgb-depth10', 'xgb-depth4', 'xgb-depth6', 'xgb-depth8']);
      assert.deepEqual(requestsOf(ctx.server).sort(), ['GET experiments', 'GET project', 'POST experiments/multi-metric-chart', 'POST project/query']);
    });

    it('filter: the same experiments as the predicates it compiles into, the columns asked once a minute', async function () {
      const loaded = await loadNode(ctx.server, reportNode({ projectName: 'churn', filter: 'accuracy > 0.8', metrics: ['accuracy:last'], format: 'rows', limit: 0 }));
      const out = await succeed(loaded, {});
      assert.deepEqual(out.payload.map((r) => r.experimentName).sort(), ['mlp-2x64', 'xgb-depth10', 'xgb-depth4', 'xgb-depth6', 'xgb-depth8']);
      const query = ctx.server.requests.find((r) => r.path === 'project/query');
      assert.deepEqual(query.body.predicates, [
        { source: 'metrics', query: { condition: 'AND', rules: [{ id: 'accuracy', field: 'accuracy', type: 'double', operator: 'greater', value: 0.8 }], valid: true } },
      ]);
      await succeed(loaded, {});
      assert.deepEqual(requestsOf(ctx.server).filter((r) => r === 'GET project/column-names'), ['GET project/column-names']);
    });

    it('filter with or: one query per branch, the rows of their union', async function () {
      const loaded = await loadNode(ctx.server, reportNode({ projectName: 'churn', filter: 'tag("best") or model_type == "mlp"', metrics: ['accuracy:last'], format: 'rows', limit: 0 }));
      const out = await succeed(loaded, {});
      assert.deepEqual(out.payload.map((r) => r.experimentName), ['xgb-depth8', 'mlp-2x64']);
      assert.deepEqual(requestsOf(ctx.server).sort(), [
        'GET experiments',
        'GET project',
        'GET project/column-names',
        'POST experiments/multi-metric-chart',
        'POST project/query',
        'POST project/query',
      ]);
    });

    it('experimentKeys from msg.payload.experimentKeys: a query project node chains in directly', async function () {
      const { server } = ctx;
      await load([
        configNode(server),
        { id: 'q', type: 'comet-query-project', server: 'cfg', operation: 'query', projectName: 'churn', projectNameType: 'str', predicates: JSON.stringify(ACCURACY_ABOVE_08), predicatesType: 'json', wires: [['r']] },
        { id: 'r', ...reportNode({ projectName: 'churn', metrics: ['accuracy:max'], format: 'rows', limit: 0 }), server: 'cfg', wires: [['out']] },
        { id: 'out', type: 'helper' },
      ]);
      const got = nextMessage(helper.getNode('out'));
      helper.getNode('q').receive({});
      assert.equal((await got).payload.length, 5);
    });

    it('experimentKeys from msg.experimentKeys; an empty list (a query that matched nothing) is an empty report', async function () {
      const loaded = await loadNode(ctx.server, reportNode({ projectName: 'churn', metrics: ['accuracy:max'], format: 'rows' }));
      const two = await succeed(loaded, { experimentKeys: [e['xgb-depth4'], e['mlp-2x64']] });
      assert.deepEqual(two.payload.map((r) => r.experimentName), ['mlp-2x64', 'xgb-depth4']);
      const none = await succeed(loaded, { payload: { experimentKeys: [], experimentsInProject: 6 } });
      assert.deepEqual([none.payload, none.report.experimentsConsidered], [[], 0]);
    });

    it('a key that is not an experiment of the project fails the msg naming it', async function () {
      const loaded = await loadNode(ctx.server, reportNode({ projectName: 'churn', metrics: ['loss'] }));
      const caught = await fail(loaded, { experimentKeys: [e['xgb-depth4'], e['resnet18']] });
      assert.equal(caught.error.code, 'COMET_NOT_FOUND');
      assert.match(caught.error.message, new RegExp(`1 of the experimentKeys given are not experiments of ml-team/churn \\(${e['resnet18']}\\)`));
    });
  });

  describe('request count: at most 3 + ⌈N/50⌉ requests for N experiments', function () {
    for (const n of [1, 50, 51, 500]) {
      it(`${n} experiment(s): ${3 + Math.ceil(n / 50)} requests with predicates, each chart request for at most 50 experiments`, async function () {
        const { server } = ctx;
        const bench = server.data.setChartSize({ experiments: n, metrics: 3, points: 20 });
        const all = [{ source: 'metadata', query: { condition: 'AND', rules: [{ field: 'experimentName', operator: 'begins_with', value: 'bench-' }] } }];
        const loaded = await loadNode(server, reportNode({ projectName: 'chart-bench', predicates: all, metrics: ['metric_00:min', 'metric_01:max', 'metric_02'], params: ['index'], format: 'rows', limit: 0 }));
        const out = await succeed(loaded, {});
        assert.equal(out.payload.length, n);
        assert.ok(out.payload.every((row) => typeof row['metric_00:min'] === 'number' && typeof row['metric_02:last'] === 'number' && row.index !== null));
        const charts = server.requests.filter((r) => r.path === 'experiments/multi-metric-chart');
        assert.equal(server.requests.length, 3 + Math.ceil(n / 50), requestsOf(server).join(', '));
        assert.equal(charts.length, Math.ceil(n / 50));
        assert.ok(charts.every((r) => r.body.targetedExperiments.length <= 50));
        assert.deepEqual(new Set(charts.flatMap((r) => r.body.targetedExperiments)), new Set(bench.experimentKeys));
      });
    }
  });

  describe('rate limits', function () {
    it("its requests count against the config node's request budget, and its status says when it waits for it", async function () {
      const loaded = await loadNode(ctx.server, reportNode({ projectName: 'churn', metrics: ['loss'] }), { rate: 120 });
      await succeed(loaded, {});
      assert.equal(ctx.server.requests.length, 3);
      assert.ok(loaded.status.seen.some((s) => /^waiting for the request budget until /.test(s.text)), JSON.stringify(loaded.status.seen));
    });
  });

  describe('close', function () {
    it('a redeploy in the middle of a report cancels its requests and sends nothing', async function () {
      const { server } = ctx;
      server.fault('experiments/multi-metric-chart', { hang: true });
      const loaded = await loadNode(server, reportNode({ projectName: 'churn', metrics: ['loss'] }));
      loaded.node.receive({});
      await until(() => server.requests.some((r) => r.path === 'experiments/multi-metric-chart'), { message: 'the chart request' });
      await helper.unload();
      assert.deepEqual([...loaded.outcomes.sent, ...loaded.outcomes.caught], []);
      await until(() => server.inFlight === 0, { message: 'the chart request to be cancelled' });
    });
  });

  describe('bad input fails the msg before any request, saying what is wrong', function () {
    const cases = [
      [{ projectName: 'churn', metrics: ['loss:avg'] }, ['"loss:avg"', 'asks for "avg"', 'min, max, last']],
      [{ projectName: 'churn', metrics: [':min'] }, ['":min" names no metric']],
      [{ projectName: 'churn', metrics: ['loss', 'accuracy:max'], sortBy: 'val_loss' }, ['sortBy "val_loss" is not one of the metric columns (loss:last, accuracy:max)']],
      [{ projectName: 'churn' }, ['metrics is missing']],
      [{ metrics: ['loss'] }, ['comet-report needs projectId, or projectName + workspace']],
      [{ projectName: 'churn', metrics: ['loss'], format: 'pdf' }, ['format must be one of markdown, html, email, csv, rows']],
      [{ projectName: 'churn', metrics: ['loss'], limit: -1 }, ['limit must be a whole number']],
      [{ projectName: 'churn', metrics: ['loss'], order: 'up' }, ['order must be one of desc, asc']],
      [{ projectName: 'churn', metrics: ['loss'], filter: 'accuracy >', predicates: [] }, ['filter, predicates were all given', 'only one of them']],
      [{ projectName: 'churn', metrics: ['loss'], filter: 'accuracy > 0.8 and' }, ['"and" needs a condition on each side']],
    ];
    for (const [msg, words] of cases) {
      it(JSON.stringify(msg), async function () {
        const loaded = await loadNode(ctx.server, { type: TYPE });
        assertBadInput(ctx.server, await fail(loaded, msg), ...words);
      });
    }

    it('a filter naming an unknown column: the project and its columns asked, no query, the nearest names given', async function () {
      const loaded = await loadNode(ctx.server, reportNode({ projectName: 'churn', filter: 'acuracy > 0.8', metrics: ['loss'] }));
      const caught = await fail(loaded, {});
      assert.equal(caught.error.message, 'unknown column "acuracy": did you mean accuracy (metric)?');
      assert.ok(!requestsOf(ctx.server).includes('POST project/query'), requestsOf(ctx.server).join(', '));
    });

    it('no such project: one request (the project), then a not-found error naming it', async function () {
      const loaded = await loadNode(ctx.server, reportNode({ projectName: 'no-such-project', metrics: ['loss'] }));
      const caught = await fail(loaded, {});
      assert.equal(caught.error.code, 'COMET_NOT_FOUND');
      assert.match(caught.error.message, /no-such-project/);
      assert.deepEqual(requestsOf(ctx.server), ['GET project']);
    });
  });
});
