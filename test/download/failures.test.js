'use strict';
// comet-download-model when the answer is not the file it should be: cut
// short, a web page, Comet's JSON note, too large for memory, throttled.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { ids } = require('../../sample-server/data');
const { useNodeTest, succeed, fail } = require('../nodes/harness');
const { tempFolder, loadDownload, sha256, bytesSentFor, filesIn } = require('./support');

const REGISTRY = 'registry-model/item/download';
const LOGREG = ids.experiments['logreg-baseline'];

describe('comet-download-model: failures', function () {
  const ctx = useNodeTest();

  for (const output of ['file', 'extract']) {
    it(`${output}: a body cut short fails the msg and leaves no file`, async function () {
      const { server } = ctx;
      const dir = tempFolder();
      server.fault(REGISTRY, { truncate: true, times: Infinity });
      const loaded = await loadDownload(server, { operation: 'registryModel', output, path: path.join(dir, output === 'file' ? 'model.zip' : 'model') }, { retries: 0 });
      const caught = await fail(loaded, { modelName: 'churn-model' });
      assert.equal(caught.error.code, 'COMET_NETWORK');
      assert.equal(caught.error.cause.endpoint, REGISTRY);
      assert.deepEqual(filesIn(dir), []);
    });
  }

  it('a connection lost mid-body restarts the download, and the file is whole', async function () {
    const { server } = ctx;
    const file = path.join(tempFolder(), 'model.zip');
    server.fault(REGISTRY, { reset: 'mid-body', times: 1 });
    const loaded = await loadDownload(server, { operation: 'registryModel', output: 'file', path: file }, { retries: 1 });
    await succeed(loaded, { modelName: 'churn-model' });
    assert.equal(server.requests.length, 2);
    assert.equal(sha256(fs.readFileSync(file)), sha256(await bytesSentFor(server, server.requests[1])));
    assert.deepEqual(filesIn(path.dirname(file)), ['model.zip']);
  });

  it('HTTP 429 is retried as the client\'s rules say, then the download succeeds', async function () {
    const { server } = ctx;
    server.fault(REGISTRY, { status: 429, headers: { 'Retry-After': '0' }, times: 1 });
    const loaded = await loadDownload(server, { operation: 'registryModel', output: 'buffer' });
    const out = await succeed(loaded, { modelName: 'churn-model' });
    assert.equal(server.requests.length, 2);
    assert.equal(sha256(out.payload), sha256(await bytesSentFor(server, server.requests[1])));
  });

  for (const output of ['buffer', 'file', 'extract']) {
    it(`${output}: an HTML page instead of the zip fails clearly and writes nothing`, async function () {
      const { server } = ctx;
      const dir = tempFolder();
      server.fault(REGISTRY, { html: true, status: 200 });
      const loaded = await loadDownload(server, { operation: 'registryModel', output, path: path.join(dir, 'model') });
      const caught = await fail(loaded, { modelName: 'churn-model' });
      assert.equal(caught.error.code, 'COMET_UNEXPECTED_ANSWER');
      assert.match(caught.error.message, /web page instead of data/);
      assert.deepEqual(filesIn(dir), []);
    });
  }

  for (const output of ['buffer', 'file']) {
    it(`${output}: Comet's "no such asset" note (JSON, HTTP 200) fails as not found and writes nothing`, async function () {
      const { server } = ctx;
      const dir = tempFolder();
      const loaded = await loadDownload(server, { operation: 'asset', output, path: path.join(dir, 'asset.bin') });
      const caught = await fail(loaded, { experimentKey: LOGREG, assetId: 'no-such-asset' });
      assert.equal(caught.error.code, 'COMET_NOT_FOUND');
      assert.deepEqual(caught.error.cause, { code: 'COMET_NOT_FOUND', statusCode: 200, endpoint: 'experiment/asset/get-asset' });
      assert.match(caught.error.message, /assetId "no-such-asset"/);
      assert.match(caught.error.message, /Comet said: "no asset for experiment"/);
      assert.deepEqual(filesIn(dir), []);
    });
  }

  it('a JSON file that is not Comet\'s note is saved as it is', async function () {
    const { server } = ctx;
    const file = path.join(tempFolder(), 'matrix.json');
    const body = { msg: 'a field of the file', labels: ['stay', 'churn'] };
    server.fault('experiment/asset/get-asset', { body, contentType: 'application/json' });
    const loaded = await loadDownload(server, { operation: 'asset', output: 'file', path: file });
    await succeed(loaded, { experimentKey: LOGREG, assetId: 'any' });
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), body);
  });

  it('a large JSON file streams through whole', async function () {
    const { server } = ctx;
    const file = path.join(tempFolder(), 'big.json');
    const body = Buffer.from(JSON.stringify({ values: Array.from({ length: 40000 }, (_, i) => i) }));
    server.fault('experiment/asset/get-asset', { body, contentType: 'application/json' });
    const loaded = await loadDownload(server, { operation: 'asset', output: 'file', path: file });
    await succeed(loaded, { experimentKey: LOGREG, assetId: 'any' });
    assert.ok(body.length > 64 * 1024);
    assert.equal(sha256(fs.readFileSync(file)), sha256(body));
  });

  it('buffer: an answer over the buffer limit fails and says to download to a file', async function () {
    const { server } = ctx;
    server.data.setDownloadSize(1024 * 1024);
    try {
      const loaded = await loadDownload(server, { operation: 'registryModel', output: 'buffer', maxBufferBytes: '64 KiB' });
      const caught = await fail(loaded, { modelName: 'churn-model' });
      assert.equal(caught.error.code, 'COMET_TOO_LARGE');
      assert.match(caught.error.message, /larger than the buffer limit \(65,536 bytes\): set the node's Output to "a file"/);
    } finally {
      server.data.setDownloadSize(null);
    }
  });

  it('extract: an answer that is not a zip fails as a bad archive and leaves nothing', async function () {
    const { server } = ctx;
    const dir = tempFolder();
    const asset = server.data.experiments[LOGREG].assets.find((a) => a.fileName === 'roc-curve.png');
    const loaded = await loadDownload(server, { operation: 'asset', output: 'extract', path: dir });
    const caught = await fail(loaded, { experimentKey: LOGREG, assetId: asset.assetId });
    assert.equal(caught.error.code, 'COMET_BAD_ARCHIVE');
    assert.match(caught.error.message, /is not a zip archive/);
    assert.deepEqual(filesIn(dir), []);
  });

  it('an unknown registry model: not found, with Comet\'s words', async function () {
    const { server } = ctx;
    const loaded = await loadDownload(server, { operation: 'registryModel', output: 'buffer' });
    const caught = await fail(loaded, { modelName: 'no-such-model' });
    assert.equal(caught.error.code, 'COMET_NOT_FOUND');
    assert.equal(caught.error.cause.sdkErrorCode, 42008);
  });

  it('a folder as the target and no file name from the server: bad input, nothing written', async function () {
    const { server } = ctx;
    const dir = tempFolder();
    server.fault(REGISTRY, { body: Buffer.from('PK\u0005\u0006'), contentType: 'application/octet-stream' });
    const loaded = await loadDownload(server, { operation: 'registryModel', output: 'file', path: `${dir}/` });
    const caught = await fail(loaded, { modelName: 'churn-model' });
    assert.equal(caught.error.code, 'COMET_BAD_INPUT');
    assert.match(caught.error.message, /gives no file name/);
    assert.deepEqual(filesIn(dir), []);
  });

  it('a target folder that cannot be made: a file error naming it', async function () {
    const { server } = ctx;
    const dir = tempFolder();
    fs.writeFileSync(path.join(dir, 'plain-file'), 'x');
    const loaded = await loadDownload(server, { operation: 'registryModel', output: 'file', path: path.join(dir, 'plain-file', 'model.zip') });
    const caught = await fail(loaded, { modelName: 'churn-model' });
    assert.equal(caught.error.code, 'COMET_FILE_ERROR');
    assert.match(caught.error.message, /plain-file/);
    assert.deepEqual(filesIn(dir), ['plain-file']);
  });
});
