'use strict';
// The edit dialogs' suggestions: GET /comet-config/<id>/lookup/<kind>,
// answered by the runtime through the config node's client, against the
// sample server. Every kind, what each costs in requests (the cache), its
// failures, and the key never in an answer.
const assert = require('node:assert/strict');
const sinon = require('sinon');
const { ids } = require('../../sample-server/data');
const { helper, SAMPLE_KEY, configNode, load, useNodeRed } = require('../helpers/runtime');
const { useSampleServer } = require('../helpers/sample-server');

const CACHE_MS = require('../../nodes/node-red/lookups').LOOKUP_CACHE_MS;

describe('editor lookups', function () {
  const ctx = useSampleServer();
  useNodeRed();
  let server;
  beforeEach(async () => {
    ({ server } = ctx);
    await load([configNode(server)]);
  });

  /** The answer of a lookup, with its status checked; no answer ever holds the key. */
  async function lookup(kind, query = {}, status = 200, id = 'cfg') {
    const res = await helper.request().get(`/comet-config/${id}/lookup/${kind}`).query(query).expect(status);
    assert.ok(!JSON.stringify(res.body).includes(SAMPLE_KEY), 'an answer holds the key');
    return res.body;
  }

  /** Replaces the flow of the beforeEach with `flow`. */
  async function reload(flow, credentials) {
    await helper.unload();
    await load(flow, credentials);
  }

  const values = (list) => list.map((s) => s.value);
  const paths = () => server.requests.map((r) => r.path);
  const named = (name) => ({ value: ids.experiments[name], label: name });

  describe('every kind, trimmed to { value, label }', function () {
    it('workspaces: the names the key may see', async function () {
      assert.deepEqual(await lookup('workspaces'), [
        { value: 'ml-team', label: 'ml-team' },
        { value: 'research', label: 'research' },
      ]);
      assert.deepEqual(paths(), ['workspaces']);
    });

    it("projects: names of the config's workspace when blank, of the one given otherwise; ids with value=projectId", async function () {
      assert.deepEqual(values(await lookup('projects')), ['churn', 'fraud', 'sandbox']);
      assert.deepEqual(values(await lookup('projects', { workspace: 'research' })), ['vision', 'nlp-baselines']);
      assert.deepEqual(await lookup('projects', { value: 'projectId', workspace: 'research' }), [
        { value: ids.projects.vision, label: 'vision' },
        { value: ids.projects['nlp-baselines'], label: 'nlp-baselines' },
      ]);
      assert.deepEqual(server.requests.map((r) => r.query.workspaceName), ['ml-team', 'research'], 'the two research lookups share one request');
    });

    it("experiments of a project (by name or id): keys labelled with names, archived ones left out", async function () {
      const churn = ['logreg-baseline', 'xgb-depth4', 'xgb-depth6', 'xgb-depth8', 'xgb-depth10', 'mlp-2x64'].map(named);
      assert.deepEqual(await lookup('experiments', { projectName: 'churn' }), churn);
      assert.deepEqual(await lookup('experiments', { projectId: ids.projects.churn }), churn);
    });

    it("experiments with no project: those of the workspace's projects, labelled with their project, one request per project that has any", async function () {
      const list = await lookup('experiments');
      const unarchived = (project) => server.data.projectExperiments(ids.projects[project]).map((e) => e.experimentKey);
      assert.deepEqual(values(list).sort(), [...unarchived('churn'), ...unarchived('fraud')].sort());
      assert.ok(list.some((s) => s.value === ids.experiments['xgb-depth8'] && s.label === 'xgb-depth8 · churn'), JSON.stringify(list));
      assert.ok(list.some((s) => s.label === 'fraud-xgb · fraud'));
      assert.deepEqual(paths().sort(), ['experiments', 'experiments', 'projects'], 'sandbox, which has no experiments, is not asked');
    });

    it('models: the registry models of the workspace', async function () {
      assert.deepEqual(await lookup('models'), [
        { value: 'churn-model', label: 'churn-model' },
        { value: 'fraud-detector', label: 'fraud-detector' },
      ]);
      assert.deepEqual(await lookup('models', { workspace: 'research' }), []);
    });

    it("experimentModels: the models an experiment logged", async function () {
      assert.deepEqual(await lookup('experimentModels', { experimentKey: ids.experiments['xgb-depth8'] }), [{ value: 'churn-classifier', label: 'churn-classifier' }]);
    });

    it('versions: of a registry model, labelled with stages and status', async function () {
      assert.deepEqual(await lookup('versions', { modelName: 'churn-model' }), [
        { value: '1.0.0', label: '1.0.0 · archived' },
        { value: '1.1.0', label: '1.1.0 · staging, Development' },
        { value: '1.2.0', label: '1.2.0 · production' },
      ]);
      assert.equal(server.requests[0].path, 'registry-model/details');
    });

    it('metrics and params: the names an experiment logged', async function () {
      const experimentKey = ids.experiments['xgb-depth8'];
      assert.deepEqual(values(await lookup('metrics', { experimentKey })), ['loss', 'accuracy', 'val_loss']);
      assert.deepEqual(values(await lookup('params', { experimentKey })), ['model_type', 'learning_rate', 'batch_size', 'epochs', 'max_depth']);
      assert.deepEqual(paths(), ['experiment/metrics/summary', 'experiment/parameters']);
    });

    it("metrics without an experiment key: the project's metric names (its metric columns), for the metric watch's rules", async function () {
      assert.deepEqual(await lookup('metrics', { projectName: 'churn' }), [
        { value: 'accuracy', label: 'accuracy' },
        { value: 'loss', label: 'loss' },
        { value: 'val_loss', label: 'val_loss' },
      ]);
      assert.deepEqual(paths(), ['project/column-names']);
    });

    it("columns: a project's column names, labelled with their source", async function () {
      const list = await lookup('columns', { projectName: 'churn' });
      assert.deepEqual(list.slice(0, 3), [
        { value: 'accuracy', label: 'accuracy · metrics' },
        { value: 'loss', label: 'loss · metrics' },
        { value: 'val_loss', label: 'val_loss · metrics' },
      ]);
      assert.ok(list.some((s) => s.label === 'max_depth · params'));
    });
  });

  describe('what a lookup costs: at most one request to Comet per kind and parameters in 60 s', function () {
    let clock;
    afterEach(() => clock && clock.restore());

    it('the same lookup again is answered from the cache, until 60 s have passed', async function () {
      clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
      const first = await lookup('experiments', { projectName: 'churn' });
      assert.deepEqual(await lookup('experiments', { projectName: 'churn' }), first);
      assert.deepEqual(await lookup('experiments', { projectName: 'churn', workspace: 'ml-team' }), first, 'the blank workspace is the config\'s: the same request');
      assert.equal(server.requests.length, 1);
      await lookup('experiments', { projectName: 'fraud' });
      assert.equal(server.requests.length, 2, 'other parameters are another request');
      clock.tick(CACHE_MS - 1);
      await lookup('experiments', { projectName: 'churn' });
      assert.equal(server.requests.length, 2);
      clock.tick(1);
      await lookup('experiments', { projectName: 'churn' });
      assert.equal(server.requests.length, 3, 'after 60 s Comet is asked again');
    });

    it('lookups that arrive together share one request', async function () {
      server.fault('projects', { delayMs: 100 });
      await Promise.all([lookup('projects'), lookup('projects', { value: 'projectId' }), lookup('experiments')]);
      assert.deepEqual(paths().filter((p) => p === 'projects'), ['projects']);
    });

    it('a failure is not kept: the next lookup asks again', async function () {
      await reload([configNode(server, { retries: 0 })]);
      server.fault('registry-model', { status: 503 });
      const failed = await lookup('models', {}, 502);
      assert.equal(failed.code, 'COMET_SERVER_ERROR');
      assert.equal((await lookup('models')).length, 2);
      assert.equal(server.requests.length, 2);
    });

    it('a redeployed config node starts with an empty cache', async function () {
      await lookup('workspaces');
      await helper.setFlows([configNode(server, { name: 'renamed' })], 'nodes', { cfg: { apiKey: SAMPLE_KEY } });
      await lookup('workspaces');
      assert.equal(server.requests.length, 2);
    });
  });

  describe('failures: a status, the error code and one sentence', function () {
    it('a config node that is not deployed: 404 saying to deploy it', async function () {
      const answer = await lookup('workspaces', {}, 404, 'not-deployed');
      assert.match(answer.error, /Deploy the config node/);
      assert.equal(server.requests.length, 0);
    });

    it('an unknown kind: 404 naming the kinds', async function () {
      const answer = await lookup('tags', {}, 404);
      assert.equal(answer.code, 'COMET_BAD_INPUT');
      assert.match(answer.error, /workspaces, projects, experiments/);
    });

    it('a missing parameter: 400 naming the field, nothing sent', async function () {
      const metrics = await lookup('metrics', {}, 400);
      assert.equal(metrics.code, 'COMET_BAD_INPUT');
      assert.match(metrics.error, /Fill in "Experiment key" first/);
      assert.match((await lookup('versions', {}, 400)).error, /"Model name"/);
      await reload([configNode(server, { workspace: '' })]);
      assert.match((await lookup('models', {}, 400)).error, /"Workspace", or set the config node's workspace/);
      assert.equal(server.requests.length, 0);
    });

    it('a bad value: 400 as a node would say it', async function () {
      const answer = await lookup('metrics', { experimentKey: 'a\u0001b' }, 400);
      assert.equal(answer.code, 'COMET_BAD_INPUT');
      assert.match(answer.error, /control characters/);
    });

    it("Comet's refusals: 502 with the nodes' codes and sentences, never a stack or the key", async function () {
      const missing = await lookup('metrics', { experimentKey: 'no-such-experiment' }, 502);
      assert.equal(missing.code, 'COMET_NOT_FOUND');
      assert.match(missing.error, /Comet has no experimentKey "no-such-experiment"/);
      assert.deepEqual(Object.keys(missing).sort(), ['code', 'error']);
      assert.doesNotMatch(missing.error, /\n\s+at /);

      await reload([configNode(server)], { cfg: { apiKey: 'not-the-key' } });
      const rejected = await lookup('workspaces', {}, 502);
      assert.equal(rejected.code, 'COMET_KEY_REJECTED');
      assert.ok(!rejected.error.includes('not-the-key'));
    });

    it('no key anywhere: 400 with the config node\'s no-key sentence', async function () {
      await reload([configNode(server)], {});
      const answer = await lookup('workspaces', {}, 400);
      assert.equal(answer.code, 'COMET_NO_API_KEY');
    });

    it("Comet not answering: 504 after the lookup's short timeout, not the config's", async function () {
      this.timeout(15000);
      await reload([configNode(server, { retries: 0, timeout: 60 })]);
      server.fault('workspaces', { hang: true });
      const started = Date.now();
      const answer = await lookup('workspaces', {}, 504);
      assert.equal(answer.code, 'COMET_TIMEOUT');
      assert.match(answer.error, /within 5 s/);
      assert.ok(Date.now() - started < 10000);
    });
  });
});
