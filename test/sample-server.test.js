'use strict';
// Tests of the sample Comet server itself (sample-server/), over real HTTP.

const assert = require('node:assert/strict');
const http = require('node:http');
const zlib = require('node:zlib');
const yauzl = require('yauzl');
const { createSampleServer } = require('../sample-server');
const { ids } = require('../sample-server/data');
const { buildZip } = require('../sample-server/zip');
const { until } = require('./helpers/wait');
const { useSampleServer } = require('./helpers/sample-server');

const KEY = 'sample-key';

/** A GET/POST with its own socket that never rejects: { status, headers, body, complete, error }. */
function rawRequest(server, path, { method = 'GET', headers = { authorization: KEY }, body } = {}) {
  return new Promise((resolve) => {
    let responded = false;
    const req = http.request(server.restRoot + path, { method, headers, agent: false }, (res) => {
      responded = true;
      const chunks = [];
      const done = (error) => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks), complete: res.complete, error });
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => done());
      res.on('error', (err) => done(err));
    });
    req.on('error', (error) => {
      if (!responded) resolve({ error }); // otherwise the response reports it
    });
    req.end(body);
  });
}

function zipEntries(buffer) {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const entries = [];
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          let crc = 0;
          const chunks = [];
          stream.on('data', (c) => {
            crc = zlib.crc32(c, crc);
            if (chunks.length < 4) chunks.push(c);
          });
          stream.on('error', reject);
          stream.on('end', () => {
            entries.push({ name: entry.fileName, size: entry.uncompressedSize, crcOk: crc === entry.crc32, head: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

const churn = ids.projects.churn;
const E = ids.experimentWithPatch;

describe('sample server', function () {
  this.timeout(5000);
  const ctx = useSampleServer();
  let server;
  beforeEach(() => ({ server } = ctx));
  const api = (path, init = {}) => fetch(server.restRoot + path, { ...init, headers: { Authorization: KEY, ...init.headers } });
  const getJson = async (path) => {
    const res = await api(path);
    return { status: res.status, type: res.headers.get('content-type'), body: await res.json() };
  };
  const postJson = async (path, body) => {
    const res = await api(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  };

  describe('auth', () => {
    it('answers 401 with Comet\'s error body to a missing, unknown or Bearer key', async () => {
      for (const headers of [{}, { Authorization: 'nope' }, { Authorization: `Bearer ${KEY}` }]) {
        const res = await fetch(server.restRoot + 'workspaces', { headers });
        assert.equal(res.status, 401);
        assert.equal(res.headers.get('content-type'), 'application/json');
        assert.deepEqual(await res.json(), { msg: 'Invalid API key', code: 401, data: null, sdk_error_code: 90212 });
      }
    });

    it('accepts a key carrying its server after "*"', async () => {
      const embedded = Buffer.from(JSON.stringify({ baseUrl: server.url })).toString('base64');
      const res = await fetch(server.restRoot + 'account-details', { headers: { Authorization: `${KEY}*${embedded}` } });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { userName: 'ada', defaultWorkspaceName: 'ml-team' });
      const rec = server.requests.at(-1);
      assert.equal(rec.path, 'account-details');
      assert.equal(rec.headers.authorization, `${KEY}*${embedded}`);
    });

    it('serves under a path prefix with custom keys, a whole raw key with "*" included', async () => {
      const other = await createSampleServer({ pathPrefix: '/comet/', apiKeys: { 'raw*abc': { userName: 'grace', defaultWorkspaceName: 'research' } } });
      try {
        assert.equal(other.restRoot, `${other.url}/comet/api/rest/v2/`);
        const ok = await fetch(other.restRoot + 'account-details', { headers: { Authorization: 'raw*abc' } });
        assert.deepEqual(await ok.json(), { userName: 'grace', defaultWorkspaceName: 'research' });
        const noPrefix = await fetch(`${other.url}/api/rest/v2/workspaces`, { headers: { Authorization: 'raw*abc' } });
        assert.equal(noPrefix.status, 404);
        assert.equal((await fetch(other.restRoot + 'workspaces', { headers: { Authorization: KEY } })).status, 401);
      } finally {
        await other.close();
      }
    });
  });

  describe('endpoints', () => {
    it('lists projects and experiments of a project, archived apart', async () => {
      const { body } = await getJson('projects?workspaceName=ml-team');
      const p = body.projects.find((x) => x.projectName === 'churn');
      assert.equal(p.projectId, churn);
      assert.equal(p.numberOfExperiments, 6);
      const active = await getJson(`experiments?projectName=churn&workspaceName=ml-team`);
      assert.equal(active.body.experiments.length, 6);
      assert.ok(active.body.experiments.every((e) => e.archived === false && /^[0-9a-f]{32}$/.test(e.experimentKey)));
      const archived = await getJson(`experiments?projectId=${churn}&archived=true`);
      assert.deepEqual(archived.body.experiments.map((e) => e.experimentKey), ids.archivedExperiments);
    });

    it('keeps metrics summary consistent with get-metric, values as strings', async () => {
      const summary = (await getJson(`experiment/metrics/summary?experimentKey=${E}`)).body.values;
      assert.deepEqual(summary.map((v) => v.name).sort(), ['accuracy', 'loss', 'val_loss']);
      const loss = summary.find((v) => v.name === 'loss');
      const { body } = await getJson(`experiment/metrics/get-metric?experimentKey=${E}&metricName=loss`);
      assert.equal(body.metrics.length, 150);
      const values = body.metrics.map((m) => Number(m.metricValue));
      assert.equal(typeof loss.valueMin, 'string');
      assert.equal(Number(loss.valueMin), Math.min(...values));
      assert.equal(Number(loss.valueMax), Math.max(...values));
      assert.equal(loss.valueCurrent, body.metrics[149].metricValue);
      assert.equal(loss.stepCurrent, 150);
    });

    it('answers a git patch as bytes, and Comet\'s 200 JSON quirk when there is none', async () => {
      const res = await api(`experiment/git/patch?experimentKey=${E}`);
      assert.equal(res.headers.get('content-type'), 'application/octet-stream');
      assert.match(await res.text(), /^diff --git a\/train.py/);
      const none = await getJson(`experiment/git/patch?experimentKey=${ids.experimentWithoutPatch}`);
      assert.equal(none.status, 200);
      assert.equal(none.type, 'application/json');
      assert.deepEqual(none.body, { msg: 'no patch for experiment', code: 200, data: null, sdk_error_code: 0 });
    });

    it('filters the asset list by type', async () => {
      const all = (await getJson(`experiment/asset/list?experimentKey=${E}&type=all`)).body.assets;
      const images = (await getJson(`experiment/asset/list?experimentKey=${E}&type=image`)).body.assets;
      assert.ok(all.length > images.length);
      assert.deepEqual(images.map((a) => a.assetId).sort(), all.filter((a) => a.type === 'image').map((a) => a.assetId).sort());
      assert.ok(images.some((a) => a.assetId === ids.imageAssetId));
      const png = await api(`experiment/asset/get-asset?experimentKey=${E}&assetId=${ids.imageAssetId}`);
      assert.equal(png.headers.get('content-disposition'), 'attachment; filename="roc-curve.png"');
      assert.deepEqual([...new Uint8Array(await png.arrayBuffer()).slice(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    });

    it('answers errors the way Comet does', async () => {
      assert.deepEqual(await getJson('experiment/metadata?experimentKey=0000'), {
        status: 404, type: 'application/json', body: { msg: 'Experiment not found', code: 404, data: null, sdk_error_code: 0 },
      });
      const model = await getJson('registry-model/details?workspaceName=ml-team&modelName=nope');
      assert.equal(model.status, 400);
      assert.equal(model.body.sdk_error_code, 42008);
      const missing = await getJson('experiment/metadata');
      assert.equal(missing.status, 400);
      assert.match(missing.body.msg, /experimentKey/);
      assert.equal((await getJson('no/such/endpoint')).status, 404);
      const bad = await api('project/query', { method: 'POST', body: '{"projectId": ' });
      assert.equal(bad.status, 400);
      assert.equal(server.requests.at(-1).body, '{"projectId": ');
    });

    it('gives the best experiment of the optimizer for min and max goals', async () => {
      const min = (await getJson(`get-best-experiment?optimizationId=${ids.optimizationId}&metricName=loss&goal=min`)).body;
      assert.equal(min.experimentKey, ids.bestExperimentByLoss);
      assert.equal(min.experimentCount, 4);
      const max = (await getJson(`get-best-experiment?optimizationId=${ids.optimizationId}&metricName=loss&goal=max`)).body;
      const maxLoss = Math.max(...(await getJson(`experiment/metrics/get-metric?experimentKey=${max.experimentKey}&metricName=loss`)).body.metrics.map((m) => Number(m.metricValue)));
      assert.equal(max.metricValue, maxLoss);
      assert.ok(max.metricValue > min.metricValue);
    });
  });

  describe('project/query', () => {
    const lastValue = (key, metric) => {
      const s = server.data.getSeries(server.data.experiments[key], metric);
      return s.values[s.values.length - 1];
    };
    const query = (predicates, extra = {}) => postJson('project/query', { projectId: churn, predicates, ...extra });

    it('applies a metric predicate to the current values', async () => {
      const { status, body } = await query([{ source: 'metrics', query: { condition: 'AND', rules: [{ id: 'accuracy', field: 'accuracy', type: 'double', input: 'text', operator: 'greater', value: 0.85 }], valid: true } }]);
      assert.equal(status, 200);
      const expected = server.data.projectExperiments(churn).filter((e) => lastValue(e.experimentKey, 'accuracy') > 0.85).map((e) => e.experimentKey);
      assert.ok(expected.length > 0 && expected.length < 6);
      assert.deepEqual(body, { experimentKeys: expected, experimentsInProject: 6 });
    });

    it('combines sources with AND, rules with OR, and queries archived experiments', async () => {
      const tags = await query([{ source: 'tag', query: { condition: 'OR', rules: [{ field: 'tag', operator: 'equal', value: 'mlp' }, { field: 'tag', operator: 'equal', value: 'baseline' }] } }]);
      assert.deepEqual(tags.body.experimentKeys, [ids.experiments['logreg-baseline'], ids.experiments['mlp-2x64']]);
      const both = await query([
        { source: 'params', query: { condition: 'AND', rules: [{ field: 'model_type', type: 'string', operator: 'equal', value: 'xgboost' }] } },
        { source: 'params', query: { condition: 'AND', rules: [{ field: 'max_depth', type: 'double', operator: 'greater_or_equal', value: 8 }] } },
      ]);
      assert.deepEqual(both.body.experimentKeys, [ids.experiments['xgb-depth8'], ids.experiments['xgb-depth10']]);
      const meta = await query([{ source: 'metadata', query: { condition: 'AND', rules: [{ field: 'experimentName', type: 'string', operator: 'contains', value: 'depth1' }] } }]);
      assert.deepEqual(meta.body.experimentKeys, [ids.experiments['xgb-depth10']]);
      const archived = await query([{ source: 'log_other', query: { rules: [{ field: 'Name', operator: 'not_equal', value: 'mlp-old' }] } }], { archived: true });
      assert.deepEqual(archived.body, { experimentKeys: [ids.experiments['logreg-broken']], experimentsInProject: 2 });
    });

    it('rejects an unknown operator with 400', async () => {
      const { status } = await query([{ source: 'metrics', query: { rules: [{ field: 'loss', operator: 'near', value: 1 }] } }]);
      assert.equal(status, 400);
    });
  });

  describe('multi-metric-chart', () => {
    it('answers real series, and the empty shape when nothing matches', async () => {
      const { body } = await postJson('experiments/multi-metric-chart', { targetedExperiments: [E, 'unknown'], metrics: ['loss'], params: ['learning_rate'], independentMetrics: true, fetchFull: true });
      assert.deepEqual(Object.keys(body.experiments), [E]);
      const m = body.experiments[E].metrics[0];
      assert.equal(m.values.length, 150);
      assert.deepEqual(m.values, server.data.experiments[E].metrics.loss.values);
      assert.equal(m.durations[0], 0);
      assert.deepEqual(body.experiments[E].params, { learning_rate: '0.1' });
      const empty = await postJson('experiments/multi-metric-chart', { targetedExperiments: [E], metrics: ['nope'] });
      assert.deepEqual(empty.body, { experiments: {}, empty: true });
    });

    it('samples about 500 points unless fetchFull', async () => {
      const { experimentKeys, metricNames } = server.data.setChartSize({ experiments: 2, metrics: 2, points: 2000 });
      const req = (fetchFull) => postJson('experiments/multi-metric-chart', { targetedExperiments: experimentKeys, metrics: metricNames, independentMetrics: true, fetchFull });
      const sampled = (await req(false)).body;
      const full = (await req(true)).body;
      assert.equal(sampled.experiments[experimentKeys[1]].metrics[1].values.length, 500);
      assert.equal(full.experiments[experimentKeys[1]].metrics[1].values.length, 2000);
      assert.equal(full.empty, false);
    });
  });

  describe('registry', () => {
    it('filters latest_version by stage, status, major and minor', async () => {
      const latest = async (q) => {
        const { status, body } = await getJson(`registry-model/latest_version?workspaceName=ml-team&modelName=churn-model${q}`);
        return status === 200 ? body.versions.map((v) => v.version) : status;
      };
      assert.deepEqual(await latest(''), ['1.2.0']);
      assert.deepEqual(await latest('&stage=staging'), ['1.1.0']);
      assert.deepEqual(await latest('&stage=Production'), ['1.2.0']);
      assert.deepEqual(await latest('&versionMajor=1&versionMinor=0'), ['1.0.0']);
      assert.equal(await latest('&versionMajor=2'), 404);
    });

    it('serves a registry version as a valid zip', async () => {
      const res = await api('registry-model/item/download?workspaceName=ml-team&modelName=churn-model&version=1.1.0');
      assert.equal(res.headers.get('content-type'), 'application/octet-stream');
      assert.equal(res.headers.get('content-disposition'), 'attachment; filename="churn-model_1.1.0.zip"');
      const buf = Buffer.from(await res.arrayBuffer());
      assert.equal(Number(res.headers.get('content-length')), buf.length);
      const entries = await zipEntries(buf);
      assert.deepEqual(entries.map((e) => e.name), ['model/model.pkl', 'model/MLmodel', 'requirements.txt']);
      assert.ok(entries.every((e) => e.crcOk));
      assert.match(entries[1].head.toString(), new RegExp(`run_id: ${ids.experiments['xgb-depth4']}`));
      const both = await getJson('registry-model/item/download?workspaceName=ml-team&modelName=churn-model&version=1.1.0&stage=production');
      assert.equal(both.status, 400);
    });

    it('streams a big download of the exact size set, with correct CRCs', async () => {
      server.data.setDownloadSize(3 * 1024 * 1024 + 5);
      try {
        const res = await api('registry-model/item/download?workspaceName=ml-team&modelName=churn-model');
        const buf = Buffer.from(await res.arrayBuffer());
        assert.equal(buf.length, 3 * 1024 * 1024 + 5);
        assert.equal(Number(res.headers.get('content-length')), buf.length);
        const entries = await zipEntries(buf);
        assert.ok(entries.length >= 3 && entries.every((e) => e.crcOk));
      } finally {
        server.data.setDownloadSize(null);
      }
    });

    it('bumps lastUpdated of model and version on every mutation', async () => {
      const details = async () => (await getJson('registry-model/details?workspaceName=ml-team&modelName=fraud-detector')).body;
      const before = await details();
      server.registry.setStages('ml-team', 'fraud-detector', '0.9.0', ['staging']);
      const after1 = await details();
      assert.ok(after1.lastUpdated > before.lastUpdated);
      assert.ok(after1.versions[0].lastUpdated > before.versions[0].lastUpdated);
      assert.deepEqual(after1.versions[0].stages, ['staging']);
      assert.equal(after1.versions[1].lastUpdated, before.versions[1].lastUpdated);
      server.registry.setStatus('ml-team', 'fraud-detector', '0.9.0', 'Staging');
      const after2 = await details();
      assert.ok(after2.lastUpdated > after1.lastUpdated);
      assert.equal(after2.versions[0].status, 'Staging');
      server.registry.addVersion('ml-team', 'fraud-detector', '1.1.0-rc.1', { stages: ['staging'] });
      assert.equal((await getJson('registry-model/latest_version?workspaceName=ml-team&modelName=fraud-detector&stage=staging')).body.versions[0].version, '1.1.0-rc.1');
      server.registry.deleteVersion('ml-team', 'fraud-detector', '1.1.0-rc.1');
      const after3 = await details();
      assert.ok(after3.lastUpdated > after2.lastUpdated);
      assert.deepEqual(after3.versions.map((v) => v.version), ['0.9.0', '1.0.0']);
      server.registry.generateModels('research', 500);
      assert.deepEqual((await getJson('registry-model/count?workspaceName=research')).body, { registryModelCount: 500 });
    });
  });

  describe('redirected asset', () => {
    it('redirects to the storage origin, which serves the bytes and refuses the Comet key', async () => {
      const res = await api(`experiment/asset/get-asset?experimentKey=${E}&assetId=${ids.remoteAssetId}`, { redirect: 'manual' });
      assert.equal(res.status, 302);
      const location = res.headers.get('location');
      assert.ok(location.startsWith(server.storage.url + '/'));
      assert.notEqual(new URL(location).origin, new URL(server.url).origin);
      server.storage.clearRequests();
      const bytes = Buffer.from(await (await fetch(location)).arrayBuffer());
      const asset = server.data.experiments[E].assets.find((a) => a.assetId === ids.remoteAssetId);
      assert.ok(bytes.equals(asset.content));
      assert.equal(server.storage.requests.length, 1);
      assert.equal(server.storage.requests[0].headers.authorization, undefined);
      const withKey = await fetch(location, { headers: { Authorization: KEY } });
      assert.equal(withKey.status, 400);
    });
  });

  describe('faults', () => {
    it('answers a queued status with headers, the given number of times, in order', async () => {
      server.fault('workspaces', { status: 429, headers: { 'Retry-After': '2' }, times: 2 });
      server.fault((req) => req.path === 'workspaces' && req.method === 'GET', { status: 503 });
      const statuses = [];
      for (let i = 0; i < 4; i++) {
        const res = await api('workspaces');
        statuses.push(res.status);
        if (res.status === 429) {
          assert.equal(res.headers.get('retry-after'), '2');
          assert.equal((await res.json()).code, 429);
        } else {
          await res.arrayBuffer();
        }
      }
      assert.deepEqual(statuses, [429, 429, 503, 200]);
      assert.equal(server.requests.filter((r) => r.path === 'workspaces').length >= 4, true);
    });

    it('resets the connection before headers', async () => {
      server.fault('workspaces', { reset: 'before-headers' });
      const r = await rawRequest(server, 'workspaces');
      assert.equal(r.status, undefined);
      assert.equal(r.error.code, 'ECONNRESET');
    });

    it('truncates a body after announcing its full length', async () => {
      server.fault('experiment/metrics/get-metric', { truncate: true });
      const r = await rawRequest(server, `experiment/metrics/get-metric?experimentKey=${E}&metricName=loss`);
      assert.equal(r.status, 200);
      assert.ok(r.body.length > 0 && r.body.length < Number(r.headers['content-length']));
      assert.equal(r.complete, false);
      assert.ok(r.error);
    });

    it('resets the connection mid-body', async () => {
      server.fault('experiment/metrics/get-metric', { reset: 'mid-body' });
      const r = await rawRequest(server, `experiment/metrics/get-metric?experimentKey=${E}&metricName=loss`);
      assert.equal(r.status, 200);
      assert.equal(r.complete, false);
      assert.ok(r.error);
    });

    it('answers an nginx HTML page', async () => {
      server.fault('workspaces', { html: true });
      const res = await api('workspaces');
      assert.equal(res.status, 502);
      assert.equal(res.headers.get('content-type'), 'text/html');
      assert.match(await res.text(), /<center>nginx<\/center>/);
    });

    it('trickles a body slowly and whole', async () => {
      server.fault('account-details', { trickleMs: 20, trickleBytes: 10 });
      const t0 = Date.now();
      const res = await api('account-details');
      assert.deepEqual(await res.json(), { userName: 'ada', defaultWorkspaceName: 'ml-team' });
      assert.ok(Date.now() - t0 >= 20 * 4);
    });

    it('counts requests in flight and the highest count', async () => {
      server.resetStats();
      server.fault('workspaces', { delayMs: 300, times: Infinity });
      const all = Promise.all(Array.from({ length: 5 }, () => api('workspaces').then((r) => r.json())));
      await until(() => server.inFlight === 5, { timeout: 250, message: 'five requests in flight' });
      assert.equal(server.inFlight, 5);
      await all;
      assert.equal(server.maxInFlight, 5);
      server.resetStats();
      assert.equal(server.maxInFlight, 0);
    });

    it('rejects an unknown fault option', () => {
      assert.throws(() => server.fault('workspaces', { delay: 10 }), /unknown fault option: delay/);
    });
  });

  describe('byte ranges', () => {
    const GIT_PATCH = `experiment/git/patch?experimentKey=${E}`;

    it('serves a file with Accept-Ranges and a strong ETag, and the rest of it from a byte (206)', async () => {
      const whole = await rawRequest(server, GIT_PATCH);
      assert.equal(whole.status, 200);
      assert.equal(whole.headers['accept-ranges'], 'bytes');
      assert.match(whole.headers.etag, /^"[0-9a-f]{32}"$/);
      const rest = await rawRequest(server, GIT_PATCH, { headers: { authorization: KEY, range: 'bytes=10-', 'if-range': whole.headers.etag } });
      assert.equal(rest.status, 206);
      assert.equal(rest.headers['content-range'], `bytes 10-${whole.body.length - 1}/${whole.body.length}`);
      assert.ok(rest.body.equals(whole.body.subarray(10)));
      assert.equal(server.requests[1].status, 206);
    });

    it('answers the whole file when If-Range names another version, 416 past the end, and no ranges for JSON', async () => {
      const changed = await rawRequest(server, GIT_PATCH, { headers: { authorization: KEY, range: 'bytes=10-', 'if-range': '"old"' } });
      assert.equal(changed.status, 200);
      const past = await rawRequest(server, GIT_PATCH, { headers: { authorization: KEY, range: `bytes=${changed.body.length}-` } });
      assert.equal(past.status, 416);
      assert.equal(past.headers['content-range'], `bytes */${changed.body.length}`);
      const json = await rawRequest(server, 'account-details', { headers: { authorization: KEY, range: 'bytes=2-' } });
      assert.equal(json.status, 200);
      assert.equal(json.headers['accept-ranges'], undefined);
    });

    it('a generated download is served in ranges too, skipping to the byte asked for', async () => {
      server.data.setDownloadSize(300_000);
      try {
        const path = 'registry-model/item/download?workspaceName=ml-team&modelName=churn-model';
        const whole = await rawRequest(server, path);
        assert.equal(whole.headers.etag, '"bigzip-300000"');
        const rest = await rawRequest(server, path, { headers: { authorization: KEY, range: 'bytes=123457-', 'if-range': '"bigzip-300000"' } });
        assert.equal(rest.status, 206);
        assert.ok(rest.body.equals(whole.body.subarray(123457)));
      } finally {
        server.data.setDownloadSize(null);
      }
    });

    it('cutAfter sends that many bytes of each body, then closes; ranges: false refuses ranges', async () => {
      server.fault(/^experiment\/git\/patch$/, { cutAfter: 20, times: 2 });
      const cut = await rawRequest(server, GIT_PATCH);
      assert.equal(cut.body.length, 20);
      assert.equal(cut.complete, false);
      const rest = await rawRequest(server, GIT_PATCH, { headers: { authorization: KEY, range: 'bytes=20-' } });
      assert.equal(rest.status, 206);
      assert.equal(rest.body.length, 20, 'a resumed answer is cut after 20 bytes of its own');
      assert.equal(server.bytesSent, 40);
      server.fault(/^experiment\/git\/patch$/, { ranges: false });
      const refused = await rawRequest(server, GIT_PATCH, { headers: { authorization: KEY, range: 'bytes=20-' } });
      assert.equal(refused.status, 200);
      assert.equal(refused.headers['accept-ranges'], undefined);
    });

    it('the storage server serves ranges and takes faults of its own', async () => {
      const asset = server.data.experiments[E].assets.find((a) => a.assetId === ids.remoteAssetId);
      const res = await api(`experiment/asset/get-asset?experimentKey=${E}&assetId=${ids.remoteAssetId}`, { redirect: 'manual' });
      const location = res.headers.get('location');
      server.storage.fault({ status: 403 });
      assert.equal((await fetch(location)).status, 403);
      const rest = await fetch(location, { headers: { range: 'bytes=100-' } });
      assert.equal(rest.status, 206);
      assert.ok(Buffer.from(await rest.arrayBuffer()).equals(asset.content.subarray(100)));
      assert.equal(server.storage.bytesSent > 0, true);
      assert.deepEqual(server.storage.requests.map((r) => r.status), [403, 206]);
    });
  });

  describe('limitRate()', () => {
    afterEach(() => server.limitRate(null));

    it('answers 429 with Retry-After beyond max requests in the window, and lets requests through again after it', async () => {
      server.limitRate({ max: 3, windowMs: 200, retryAfterSeconds: 1 });
      const first = await Promise.all(Array.from({ length: 5 }, () => api('workspaces').then(async (r) => [r.status, r.headers.get('retry-after'), await r.arrayBuffer()])));
      assert.deepEqual(first.map(([status]) => status).sort(), [200, 200, 200, 429, 429]);
      assert.ok(first.filter(([status]) => status === 429).every(([, retryAfter]) => retryAfter === '1'));
      await until(() => Date.now() - server.requests[2].at > 200, { message: 'the window to pass' });
      assert.equal((await api('workspaces')).status, 200);
      server.limitRate(null);
      assert.deepEqual((await Promise.all(Array.from({ length: 5 }, () => api('workspaces')))).map((r) => r.status), [200, 200, 200, 200, 200]);
    });
  });

  describe('close()', () => {
    it('destroys hanging requests and leaves no server or timer handles', async () => {
      const count = (type) => process.getActiveResourcesInfo().filter((t) => t === type).length;
      await new Promise((resolve) => setImmediate(resolve)); // mocha arms its own timeout once the test returned its promise
      const servers = count('TCPServerWrap');
      const timeouts = count('Timeout');
      const s = await createSampleServer();
      s.fault('workspaces', { hang: true });
      s.fault('account-details', { delayMs: 10000 });
      const hung = rawRequest(s, 'workspaces');
      const delayed = rawRequest(s, 'account-details');
      const keptAlive = await fetch(s.restRoot + 'projects?workspaceName=ml-team', { headers: { Authorization: KEY } });
      await keptAlive.arrayBuffer();
      await until(() => s.inFlight >= 2, { message: 'two requests in flight' });
      await s.close();
      assert.equal(count('TCPServerWrap'), servers);
      assert.equal(count('Timeout'), timeouts);
      const [h, d] = await Promise.all([hung, delayed]);
      assert.ok(h.error && d.error);
      assert.equal(s.requests.length, 3);
    });
  });

  describe('zip writer', () => {
    it('writes hostile names and symlinks as given', async () => {
      const zip = buildZip([{ name: '../evil', data: 'x' }, { name: '/abs/path', data: 'y' }, { name: 'link', symlink: '/etc/passwd' }]);
      const names = [];
      const modes = [];
      await new Promise((resolve, reject) => {
        yauzl.fromBuffer(zip, { lazyEntries: true, decodeStrings: false, strictFileNames: false }, (err, z) => {
          if (err) return reject(err);
          z.on('entry', (e) => {
            names.push(e.fileName.toString());
            modes.push((e.externalFileAttributes >>> 16).toString(8));
            z.readEntry();
          });
          z.on('end', resolve);
          z.readEntry();
        });
      });
      assert.deepEqual(names, ['../evil', '/abs/path', 'link']);
      assert.deepEqual(modes, ['100644', '100644', '120777']);
    });
  });
});

describe('sample server: experiment runs (for the experiment watch)', function () {
  const ctx = useSampleServer();
  const list = async (project = churn) => {
    const res = await fetch(`${ctx.server.restRoot}experiments?projectId=${project}`, { headers: { Authorization: KEY } });
    return (await res.json()).experiments;
  };
  const itemOf = async (key) => (await list()).find((e) => e.experimentKey === key);

  it('gives running and hasCrashed as Comet does; a running run moves its end time with each heartbeat', async () => {
    const seed = await list();
    assert.ok(seed.length > 0 && seed.every((e) => e.running === false && e.hasCrashed === false));
    const key = ctx.server.data.runs.start('ml-team', 'churn', 'heartbeat');
    const first = await itemOf(key);
    assert.deepEqual([first.running, first.hasCrashed, first.experimentName], [true, false, 'heartbeat']);
    await until(() => Date.now() > first.endTimeMillis + 5, { message: 'time to pass' });
    const second = await itemOf(key);
    assert.ok(second.endTimeMillis > first.endTimeMillis, 'the end time moves while it runs');
    assert.equal(second.durationMillis, second.endTimeMillis - second.startTimeMillis);
    const metadata = await (await fetch(`${ctx.server.restRoot}experiment/metadata?experimentKey=${key}`, { headers: { Authorization: KEY } })).json();
    assert.equal(metadata.running, true);
  });

  it('finishes, crashes, resumes, archives and deletes runs', async () => {
    const { runs } = ctx.server.data;
    const done = runs.start('ml-team', 'churn', 'to-finish');
    const bad = runs.start('ml-team', 'churn', 'to-crash');
    runs.finish(done);
    runs.crash(bad);
    const [finished, crashed] = [await itemOf(done), await itemOf(bad)];
    assert.deepEqual([finished.running, finished.hasCrashed, crashed.running, crashed.hasCrashed], [false, false, false, true]);
    const endedAt = finished.endTimeMillis;
    await until(() => Date.now() > endedAt + 5, { message: 'time to pass' });
    assert.equal((await itemOf(done)).endTimeMillis, endedAt, 'an ended run keeps its end time');
    runs.resume(bad);
    assert.equal((await itemOf(bad)).running, true);
    runs.archive(done);
    runs.delete(bad);
    assert.deepEqual([await itemOf(done), await itemOf(bad)], [undefined, undefined]);
    assert.throws(() => runs.finish(bad), /no experiment/);
    assert.throws(() => runs.start('ml-team', 'churn', 'to-finish'), /exists/);
  });

  it('as an older server, leaves running and hasCrashed out of the list', async () => {
    ctx.server.data.runs.olderServer();
    try {
      const items = await list();
      assert.ok(items.length > 0 && items.every((e) => !('running' in e) && !('hasCrashed' in e)));
    } finally {
      ctx.server.data.runs.olderServer(false);
    }
    assert.ok((await list()).every((e) => 'running' in e));
  });

  it('generates a project of thousands of runs, every tenth running', async () => {
    const keys = ctx.server.data.runs.generate(2000);
    const project = ctx.server.data.findProject({ projectName: 'many-runs', workspaceName: 'ml-team' });
    const items = await list(project.projectId);
    assert.deepEqual(items.map((e) => e.experimentKey), keys);
    assert.equal(items.filter((e) => e.running).length, 200);
  });
});
