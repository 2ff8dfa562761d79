'use strict';
// comet-download-model over a connection that is cut: each output picks up
// where the bytes stopped (the server takes ranges), or starts over cleanly
// (it does not, or the file changed), and a redeploy in the middle of a
// resume leaves no temporary file.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { ids } = require('../../sample-server/data');
const { helper, SAMPLE_KEY } = require('../helpers/runtime');
const { until } = require('../helpers/wait');
const { useNodeTest, succeed, fail } = require('../nodes/harness');
const { tempFolder, loadDownload, sha256, bytesSentFor, zipEntries, filesIn } = require('./support');
const { SLACK, ranges, assertResumedEvery } = require('../helpers/ranges');

const REGISTRY = 'registry-model/item/download';
const KiB = 1024;
const SIZE = 1024 * KiB;
const CUT = 256 * KiB;
const LOGREG = ids.experiments['logreg-baseline'];

describe('comet-download-model: resumed downloads', function () {
  const ctx = useNodeTest();
  let server, whole;
  beforeEach(async () => {
    server = ctx.server;
    server.data.setDownloadSize(SIZE);
    whole = await bytesSentFor(server, { path: REGISTRY, query: { workspaceName: 'ml-team', modelName: 'churn-model' } });
    server.clearRequests();
    server.resetStats();
  });
  afterEach(() => server.data.setDownloadSize(null));

  it('buffer: cut every 256 KiB, the bytes arrive whole, each cut followed by a request for the rest; no retry spent', async function () {
    server.fault(REGISTRY, { cutAfter: CUT, times: Infinity });
    const loaded = await loadDownload(server, { operation: 'registryModel', output: 'buffer' }, { retries: 0 });
    const out = await succeed(loaded, { modelName: 'churn-model' });
    assert.ok(out.payload.equals(whole));
    assert.equal(out.filename, 'churn-model_1.2.0.zip');
    assertResumedEvery(server.requests, CUT, SIZE);
    assert.ok(server.bytesSent <= SIZE + (server.requests.length - 1) * SLACK);
  });

  it('file: the temporary file grows across the cuts and is moved into place whole', async function () {
    const dir = tempFolder();
    server.fault(REGISTRY, { cutAfter: CUT, times: Infinity });
    const loaded = await loadDownload(server, { operation: 'registryModel', output: 'file', path: `${dir}/` }, { retries: 0 });
    const out = await succeed(loaded, { modelName: 'churn-model' });
    assert.equal(out.payload, path.join(dir, 'churn-model_1.2.0.zip'));
    assert.equal(out.filename, 'churn-model_1.2.0.zip', 'named from the first answer');
    assert.equal(sha256(fs.readFileSync(out.payload)), sha256(whole));
    assertResumedEvery(server.requests, CUT, SIZE);
    assert.deepEqual(filesIn(dir), ['churn-model_1.2.0.zip'], 'no temporary file is left');
  });

  it('extract: the zip is resumed, then unpacked and checked by its CRCs', async function () {
    const dir = path.join(tempFolder(), 'model');
    server.fault(REGISTRY, { cutAfter: CUT, times: Infinity });
    const loaded = await loadDownload(server, { operation: 'registryModel', output: 'extract', path: dir }, { retries: 0 });
    const out = await succeed(loaded, { modelName: 'churn-model' });
    const entries = await zipEntries(whole);
    assert.deepEqual(out.payload, entries.map((e) => ({ path: e.name, size: e.data.length })));
    for (const entry of entries) assert.ok(fs.readFileSync(path.join(dir, entry.name)).equals(entry.data), entry.name);
    assertResumedEvery(server.requests, CUT, SIZE);
    assert.deepEqual(filesIn(dir), entries.map((e) => e.name).sort());
  });

  it('file: a file that changed since the cut comes back whole (200): written from the start, not appended', async function () {
    const file = path.join(tempFolder(), 'model.zip');
    server.fault(REGISTRY, { cutAfter: CUT });
    server.fault(REGISTRY, { headers: { ETag: '"another-version"' } });
    const loaded = await loadDownload(server, { operation: 'registryModel', output: 'file', path: file }, { retries: 0 });
    await succeed(loaded, { modelName: 'churn-model' });
    const [first, second, ...more] = ranges(server.requests);
    assert.deepEqual([first, second[1], more], [[undefined, 200], 200, []]);
    assert.ok(second[0] > 0, 'the second asked for the rest');
    assert.equal(fs.statSync(file).size, SIZE);
    assert.equal(sha256(fs.readFileSync(file)), sha256(whole));
  });

  it('file: a server without ranges and a cut every time fails cleanly once the retries are spent, leaving nothing', async function () {
    const dir = tempFolder();
    server.fault(REGISTRY, { cutAfter: CUT, ranges: false, times: Infinity });
    const loaded = await loadDownload(server, { operation: 'registryModel', output: 'file', path: path.join(dir, 'model.zip') }, { retries: 2 });
    const caught = await fail(loaded, { modelName: 'churn-model' });
    assert.equal(caught.error.code, 'COMET_NETWORK');
    assert.deepEqual(ranges(server.requests), [
      [undefined, 200],
      [undefined, 200],
      [undefined, 200],
    ]);
    assert.deepEqual(filesIn(dir), []);
  });

  it('file: an asset redirected to storage resumes at the storage URL, without the Comet key', async function () {
    const dir = tempFolder();
    const asset = server.data.experiments[LOGREG].assets.find((a) => a.assetId === ids.remoteAssetId);
    // Slowly, so that the node reads the bytes as they come: a cut loses what arrived but was not read yet.
    server.storage.fault({ cutAfter: 8 * KiB, trickleMs: 50, trickleBytes: KiB });
    const loaded = await loadDownload(server, { operation: 'asset', output: 'file', path: `${dir}/` }, { retries: 0 });
    const out = await succeed(loaded, { experimentKey: LOGREG, assetId: ids.remoteAssetId });
    assert.ok(fs.readFileSync(out.payload).equals(asset.content));
    assert.equal(server.requests.length, 1);
    const [first, resumed, ...more] = ranges(server.storage.requests);
    assert.deepEqual([first, resumed[1], more], [[undefined, 200], 206, []]);
    assert.ok(resumed[0] > 0 && resumed[0] <= 8 * KiB, `resumed from ${resumed[0]}`);
    assert.ok(server.storage.requests.every((r) => r.headers.authorization === undefined && !JSON.stringify(r).includes(SAMPLE_KEY)));
  });

  for (const output of ['file', 'extract']) {
    it(`${output}: a redeploy during a resume removes the temporary file and sends nothing`, async function () {
      const dir = tempFolder();
      server.fault(REGISTRY, { cutAfter: CUT });
      server.fault(REGISTRY, { trickleMs: 50, trickleBytes: 16 * KiB });
      const loaded = await loadDownload(server, { operation: 'registryModel', output, path: path.join(dir, output === 'file' ? 'model.zip' : 'model') }, { retries: 0 });
      loaded.node.receive({ modelName: 'churn-model' });
      await until(() => server.requests.length === 2 && server.bytesSent > CUT, { message: 'the resumed request under way' });
      const parts = filesIn(dir).filter((f) => /\.comet-download-[0-9a-f]+\.part$/.test(f));
      assert.equal(parts.length, 1, 'one temporary file, appended to');
      assert.ok(fs.statSync(path.join(dir, parts[0])).size >= CUT);
      await helper.unload();
      assert.deepEqual(filesIn(dir), [], 'close waits until the temporary file is removed');
      assert.deepEqual([...loaded.outcomes.sent, ...loaded.outcomes.caught], []);
    });
  }
});
