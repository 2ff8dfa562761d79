'use strict';
const assert = require('node:assert/strict');
const { ids } = require('../../sample-server/data');
const { helper, configNode, load, nextMessage } = require('../helpers/runtime');
const { useNodeTest, loadNode, succeed, onlyRequest, describeOperations, describeBadInputs, describeMessageHandling } = require('./harness');

const TYPE = 'comet-get-metrics';
const e = ids.experiments;
const key = e['xgb-depth8'];

describe('comet-get-metrics', function () {
  const ctx = useNodeTest();

  describe('operations', function () {
    describeOperations(ctx, TYPE, [
      {
        operation: 'metric',
        msg: { experimentKey: key, metricName: 'loss' },
        path: 'experiment/metrics/get-metric',
        query: { experimentKey: key, metricName: 'loss' },
        check: (p) => {
          assert.equal(p.metrics.length, 150);
          assert.deepEqual(Object.keys(p.metrics[0]).sort(), ['epoch', 'metricName', 'metricValue', 'offset', 'runContext', 'step', 'timestamp']);
          assert.equal(typeof p.metrics[0].metricValue, 'string', "Comet's values are text: passed on as they are");
        },
        status: 'loss: 150 values',
      },
      {
        operation: 'summary',
        msg: { experimentKey: key },
        path: 'experiment/metrics/summary',
        query: { experimentKey: key },
        check: (p) => {
          assert.deepEqual(p.values.map((v) => v.name), ['loss', 'accuracy', 'val_loss']);
          assert.equal(p.values[1].valueCurrent, '0.882299');
        },
        status: '3 metrics',
      },
      {
        operation: 'chart',
        msg: { experimentKeys: [key, e['xgb-depth4']], metrics: ['loss', 'accuracy'], params: ['max_depth'], independentMetrics: false, fetchFull: true },
        method: 'POST',
        path: 'experiments/multi-metric-chart',
        body: { targetedExperiments: [key, e['xgb-depth4']], metrics: ['loss', 'accuracy'], params: ['max_depth'], independentMetrics: false, fetchFull: true },
        check: (p) => {
          assert.equal(p.empty, false);
          assert.deepEqual(Object.keys(p.experiments), [key, e['xgb-depth4']]);
          assert.deepEqual(p.experiments[key].params, { max_depth: '8' });
          assert.equal(p.experiments[key].metrics[0].values.length, 150);
        },
        status: '2 experiments',
      },
      {
        title: 'chart with comma-separated keys and metrics, optional fields left out',
        operation: 'chart',
        msg: { experimentKeys: `${key}, ${e['xgb-depth6']}`, metrics: 'val_loss' },
        method: 'POST',
        path: 'experiments/multi-metric-chart',
        body: { targetedExperiments: [key, e['xgb-depth6']], metrics: ['val_loss'] },
        check: (p) => assert.deepEqual(Object.keys(p.experiments), [key, e['xgb-depth6']]),
      },
      {
        title: 'chart of a metric nobody logged: Comet\'s empty answer as it is',
        operation: 'chart',
        msg: { experimentKeys: [key], metrics: ['f1'] },
        method: 'POST',
        path: 'experiments/multi-metric-chart',
        body: { targetedExperiments: [key], metrics: ['f1'] },
        check: (p) => assert.deepEqual(p, { experiments: {}, empty: true }),
        status: '0 experiments',
      },
    ]);
  });

  describe('chaining from query project', function () {
    it('experimentKeys blank: read from msg.payload.experimentKeys, the answer of a query project node', async function () {
      const loaded = await loadNode(ctx.server, { type: TYPE, operation: 'chart', metrics: '["loss"]', metricsType: 'json' });
      const answer = { experimentKeys: [key, e['xgb-depth10']], experimentsInProject: 6 };
      const out = await succeed(loaded, { payload: answer });
      assert.deepEqual(onlyRequest(ctx.server).body, { targetedExperiments: [key, e['xgb-depth10']], metrics: ['loss'] });
      assert.deepEqual(Object.keys(out.payload.experiments), [key, e['xgb-depth10']]);
    });

    it('msg.experimentKeys wins over msg.payload.experimentKeys, and may be a whole query answer', async function () {
      const loaded = await loadNode(ctx.server, { type: TYPE, operation: 'chart' });
      await succeed(loaded, { experimentKeys: { experimentKeys: [key], experimentsInProject: 6 }, metrics: ['loss'], payload: { experimentKeys: [e['xgb-depth4']] } });
      assert.deepEqual(onlyRequest(ctx.server).body.targetedExperiments, [key]);
    });

    it('a query project node wired straight into a chart node: no function node between them', async function () {
      const { server } = ctx;
      await load([
        configNode(server),
        {
          id: 'q1',
          type: 'comet-query-project',
          server: 'cfg',
          operation: 'query',
          projectId: ids.projects.churn,
          projectIdType: 'str',
          predicates: '[{"source":"tag","query":{"condition":"AND","rules":[{"field":"tags","operator":"equal","value":"sweep"}]}}]',
          predicatesType: 'json',
          wires: [['c1']],
        },
        { id: 'c1', type: TYPE, server: 'cfg', operation: 'chart', metrics: 'loss', metricsType: 'str', wires: [['out']] },
        { id: 'out', type: 'helper' },
      ]);
      const got = nextMessage(helper.getNode('out'));
      helper.getNode('q1').receive({ topic: 'sweep' });
      const msg = await got;
      const sweep = [e['xgb-depth4'], e['xgb-depth6'], e['xgb-depth8'], e['xgb-depth10']];
      assert.deepEqual(server.requests[1].body, { targetedExperiments: sweep, metrics: ['loss'] });
      assert.deepEqual(Object.keys(msg.payload.experiments), sweep);
      assert.equal(msg.topic, 'sweep');
    });
  });

  describe('where values come from', function () {
    it('a value set in the node wins over msg', async function () {
      const loaded = await loadNode(ctx.server, { type: TYPE, operation: 'metric', metricName: 'val_loss', metricNameType: 'str' });
      await succeed(loaded, { experimentKey: key, metricName: 'loss' });
      assert.deepEqual(onlyRequest(ctx.server).query, { experimentKey: key, metricName: 'val_loss' });
    });

    it('a JSON list set in the node wins over the chained answer', async function () {
      const loaded = await loadNode(ctx.server, { type: TYPE, operation: 'chart', experimentKeys: JSON.stringify([key]), experimentKeysType: 'json', metrics: 'loss', metricsType: 'str' });
      await succeed(loaded, { payload: { experimentKeys: [e['xgb-depth4']] } });
      assert.deepEqual(onlyRequest(ctx.server).body.targetedExperiments, [key]);
    });
  });

  describe('bad input: the msg fails, nothing is sent', function () {
    describeBadInputs(ctx, TYPE, [
      ['metric', { experimentKey: key }, ['metricName is missing', '"Metric name" field', 'msg.metricName']],
      ['summary', {}, ['experimentKey is missing']],
      ['chart', { metrics: ['loss'] }, ['experimentKeys is missing', 'msg.experimentKeys']],
      ['chart', { experimentKeys: [], metrics: ['loss'] }, ['experimentKeys is missing']],
      ['chart', { experimentKeys: [key, 7], metrics: ['loss'] }, ['experimentKeys must be a list of text values', 'an array of 2']],
      ['chart', { experimentKeys: { keys: [key] }, metrics: ['loss'] }, ['experimentKeys must be a list of text values', 'an object']],
      ['chart', { experimentKeys: [key] }, ['metrics is missing']],
      ['chart', { experimentKeys: [key], metrics: ['loss'], fetchFull: 'sometimes' }, ['fetchFull must be true or false']],
      ['chart', { experimentKeys: [key], metrics: ['loss'], params: [{}] }, ['params must be a list of text values']],
    ]);
  });

  describeMessageHandling(ctx, TYPE, { operation: 'metric', msg: { experimentKey: key, metricName: 'accuracy' }, summary: 'accuracy: 150 values' });
});
