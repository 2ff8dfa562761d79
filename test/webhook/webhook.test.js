'use strict';
// comet-webhook-in over real HTTP: Node-RED's HTTP node app (RED.httpNode)
// served on 127.0.0.1, posted to as Comet would.
const assert = require('node:assert/strict');
const { helper, load, useNodeRed } = require('../helpers/runtime');
const { statusSpy } = require('../helpers/status');
const { captureHttpNode, serveHttpNode, post: postRaw } = require('./http-node');

const SECRET = 'churn-hook-secret';
const COMET_BODY = { workspaceName: 'ml-team', registryModelName: 'churn-model', version: '1.2.0', stages: ['production'] };

function flow(props = {}) {
  return [
    { id: 'tab', type: 'tab' },
    { id: 'hook', type: 'comet-webhook-in', z: 'tab', path: '/comet/registry', ...props, wires: [['out']] },
    { id: 'out', type: 'helper', z: 'tab', wires: [] },
  ];
}

function loadHook(props, secret = SECRET) {
  return load(flow(props), { hook: { secret } }, [captureHttpNode]);
}

const post = (url, body, headers = { authorization: SECRET }) => postRaw(url, body, headers);

describe('comet-webhook-in', function () {
  let served;
  let base;
  let out;

  useNodeRed({ httpServer: false });
  beforeEach(async () => {
    served = await serveHttpNode();
    base = served.base;
  });
  afterEach(() => served.close());

  async function started(props, secret) {
    await loadHook(props, secret);
    out = [];
    helper.getNode('out').on('input', (msg) => out.push(msg));
  }

  /** Lets msgs sent just after the answer arrive. */
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('with the right secret, answers 200 and sends the change in the watch node shape, raw body kept', async () => {
    await started();
    const answer = await post(`${base}/comet/registry`, COMET_BODY);
    assert.equal(answer.status, 200);
    await settle();
    assert.equal(out.length, 1);
    const [msg] = out;
    assert.equal(msg.topic, 'churn-model/1.2.0');
    assert.equal(msg.payload.event, 'stage-added');
    assert.equal(msg.payload.stage, 'production');
    assert.equal(msg.payload.workspace, 'ml-team');
    assert.deepEqual(msg.comet.raw, COMET_BODY);
    assert.deepEqual([msg.workspace, msg.modelName, msg.version], ['ml-team', 'churn-model', '1.2.0']);
  });

  it('answers 401 to a wrong secret and sends nothing; the secret never shows in status or msg', async () => {
    await started();
    const statuses = statusSpy(helper.getNode('hook')).seen;
    assert.equal((await post(`${base}/comet/registry`, COMET_BODY, { authorization: 'not-the-secret' })).status, 401);
    assert.equal((await post(`${base}/comet/registry`, COMET_BODY, { authorization: `${SECRET}x` })).status, 401);
    await settle();
    assert.deepEqual(out, []);
    assert.ok(statuses.length > 0 && statuses.every((s) => !JSON.stringify(s).includes(SECRET)));
    assert.ok(!JSON.stringify(helper.log().args).includes(SECRET), 'not in the log');
  });

  it('answers 401 to a missing header', async () => {
    await started();
    assert.equal((await post(`${base}/comet/registry`, COMET_BODY, {})).status, 401);
    await settle();
    assert.deepEqual(out, []);
  });

  it('checks the configured header instead of Authorization', async () => {
    await started({ header: 'X-Comet-Token' });
    assert.equal((await post(`${base}/comet/registry`, COMET_BODY, { authorization: SECRET })).status, 401);
    assert.equal((await post(`${base}/comet/registry`, COMET_BODY, { 'x-comet-token': SECRET })).status, 200);
    await settle();
    assert.equal(out.length, 1);
  });

  it('with no secret set, takes any call', async () => {
    await started({}, '');
    assert.equal((await post(`${base}/comet/registry`, COMET_BODY, {})).status, 200);
    await settle();
    assert.equal(out.length, 1);
  });

  it('answers 400 to a body that is not JSON, and sends nothing', async () => {
    await started();
    assert.equal((await post(`${base}/comet/registry`, '{"workspaceName": ')).status, 400);
    assert.equal((await post(`${base}/comet/registry`, '')).status, 400);
    await settle();
    assert.deepEqual(out, []);
  });

  it('answers 413 to a body over the limit (default 1 MiB), and sends nothing', async () => {
    await started();
    const big = { ...COMET_BODY, padding: 'x'.repeat(1024 * 1024) };
    assert.equal((await post(`${base}/comet/registry`, big)).status, 413);
    await settle();
    assert.deepEqual(out, []);
    await helper.unload();
    await started({ limitKb: '1' });
    assert.equal((await post(`${base}/comet/registry`, { ...COMET_BODY, padding: 'x'.repeat(1100) })).status, 413);
    assert.equal((await post(`${base}/comet/registry`, COMET_BODY)).status, 200);
    await settle();
    assert.equal(out.length, 1);
  });

  it('sends the same delivery once within the dedupe window, and a different one again', async () => {
    await started({ dedupe: '60' });
    assert.equal((await post(`${base}/comet/registry`, COMET_BODY)).status, 200);
    assert.equal((await post(`${base}/comet/registry`, COMET_BODY)).status, 200);
    await settle();
    assert.equal(out.length, 1);
    const promoted = { ...COMET_BODY, version: '1.3.0' };
    assert.equal((await post(`${base}/comet/registry`, promoted)).status, 200);
    await settle();
    assert.deepEqual(out.map((m) => m.topic), ['churn-model/1.2.0', 'churn-model/1.3.0']);
  });

  it('without a dedupe window, sends every delivery', async () => {
    await started();
    await post(`${base}/comet/registry`, COMET_BODY);
    await post(`${base}/comet/registry`, COMET_BODY);
    await settle();
    assert.equal(out.length, 2);
  });

  it('tells which stage a call added from the last call about the same version', async () => {
    await started();
    await post(`${base}/comet/registry`, { ...COMET_BODY, stages: ['staging'] });
    await post(`${base}/comet/registry`, { ...COMET_BODY, stages: ['staging', 'production'] });
    await post(`${base}/comet/registry`, { ...COMET_BODY, stages: ['production'], trigger: 'MODEL_VERSION_STAGE_CHANGED' });
    await settle();
    assert.deepEqual(
      out.map((m) => `${m.payload.event} ${m.payload.stage}`),
      ['stage-added staging', 'stage-added production', 'stage-removed staging'],
    );
  });

  it('passes a body of unknown shape on unchanged', async () => {
    await started();
    const odd = { hello: 'comet', items: [1, 2] };
    assert.equal((await post(`${base}/comet/registry`, odd)).status, 200);
    await settle();
    assert.deepEqual(out[0].payload, odd);
    assert.deepEqual(out[0].comet.raw, odd);
  });

  it('removes its route on redeploy: the old path answers 404, the new one works', async () => {
    await started();
    await helper.setFlows(flow({ path: 'comet/v2' }), 'full', { hook: { secret: SECRET } });
    assert.equal((await post(`${base}/comet/registry`, COMET_BODY)).status, 404);
    assert.equal((await post(`${base}/comet/v2`, COMET_BODY)).status, 200);
    await helper.setFlows([{ id: 'tab', type: 'tab' }], 'full', {});
    assert.equal((await post(`${base}/comet/v2`, COMET_BODY)).status, 404);
  });

  describe('with settings.js', function () {
    afterEach(() => helper.settings({ httpNodeRoot: undefined, httpNodeMiddleware: undefined }));

    it('runs httpNodeMiddleware first, as for every http in node', async () => {
      helper.settings({ httpNodeMiddleware: (req, res, next) => (req.headers['x-blocked'] ? res.sendStatus(403) : next()) });
      await started();
      assert.equal((await post(`${base}/comet/registry`, COMET_BODY, { authorization: SECRET, 'x-blocked': '1' })).status, 403);
      assert.equal((await post(`${base}/comet/registry`, COMET_BODY)).status, 200);
      await settle();
      assert.equal(out.length, 1);
    });

    it('adds no route when httpNodeRoot is false, and says why', async () => {
      helper.settings({ httpNodeRoot: false });
      await started();
      assert.equal((await post(`${base}/comet/registry`, COMET_BODY)).status, 404);
      const errors = helper.log().args.map(([entry]) => entry).filter((entry) => entry.id === 'hook' && entry.level === helper.log().ERROR);
      assert.equal(errors.length, 1);
      assert.equal(errors[0].msg.code, 'COMET_BAD_INPUT');
      assert.match(errors[0].msg.message, /HTTP node server is off/);
    });
  });
});
