'use strict';
// comet-download-model: every operation, each output mode, and what lands on
// disk compared byte for byte with what the sample server sent.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { ids } = require('../../sample-server/data');
const { useNodeTest, succeed, fail, onlyRequest, assertBadInput } = require('../nodes/harness');
const { TYPE, tempFolder, loadDownload, sha256, bytesSentFor, zipEntries, filesIn } = require('./support');
const { CATALOGUE } = require('../../nodes/catalogue/catalogue');

const LOGREG = ids.experiments['logreg-baseline'];
const CONFIG_ASSET = (server) => server.data.experiments[LOGREG].assets.find((a) => a.fileName === 'config.yaml');

describe('comet-download-model: operations and outputs', function () {
  const ctx = useNodeTest();

  it('has a test below for every operation of the catalogue', function () {
    const tested = ['registryModel', 'experimentModel', 'asset', 'artifact', 'panel'];
    assert.deepEqual(Object.keys(CATALOGUE[TYPE].operations), tested);
  });

  it('registryModel to a Buffer: the bytes the server sent, its file name, other msg properties kept', async function () {
    const { server } = ctx;
    const loaded = await loadDownload(server, { operation: 'registryModel', output: 'buffer' });
    const out = await succeed(loaded, { modelName: 'churn-model', stage: 'production', topic: 'kept' });
    const request = onlyRequest(server);
    assert.equal(request.path, 'registry-model/item/download');
    assert.deepEqual(request.query, { workspaceName: 'ml-team', modelName: 'churn-model', stage: 'production' });
    assert.ok(Buffer.isBuffer(out.payload));
    assert.equal(sha256(out.payload), sha256(await bytesSentFor(server, request)));
    assert.equal(out.filename, 'churn-model_1.2.0.zip');
    assert.equal(out.topic, 'kept');
    const names = (await zipEntries(out.payload)).map((e) => e.name).sort();
    assert.deepEqual(names, ['model/MLmodel', 'model/model.pkl', 'requirements.txt']);
    const shown = await loaded.status.until((s) => s.fill === 'green');
    assert.match(shown.text, /^\d+(\.\d)? kB in \d+(\.\d)? s$/);
  });

  it('registryModel by version to a file named in the node: the file, its sha256, msg.filename untouched', async function () {
    const { server } = ctx;
    const dir = tempFolder();
    const file = path.join(dir, 'models', 'churn.zip');
    const loaded = await loadDownload(server, { operation: 'registryModel', output: 'file', path: file, version: '1.0.0' });
    const out = await succeed(loaded, { modelName: 'churn-model', filename: 'ignored.zip' });
    const request = onlyRequest(server);
    assert.deepEqual(request.query, { workspaceName: 'ml-team', modelName: 'churn-model', version: '1.0.0' });
    assert.equal(out.payload, file);
    assert.equal(out.filename, 'ignored.zip');
    assert.equal(sha256(fs.readFileSync(file)), sha256(await bytesSentFor(server, request)));
    assert.deepEqual(filesIn(dir), ['models/churn.zip'], 'no temporary file is left');
  });

  it('experimentModel to a folder named by msg.filename: the server names the file', async function () {
    const { server } = ctx;
    const dir = tempFolder();
    const loaded = await loadDownload(server, { operation: 'experimentModel', output: 'file' });
    const out = await succeed(loaded, { experimentKey: LOGREG, modelName: 'churn-classifier', filename: `${dir}${path.sep}` });
    const request = onlyRequest(server);
    assert.equal(request.path, 'experiment/model/download');
    assert.deepEqual(request.query, { experimentKey: LOGREG, modelName: 'churn-classifier' });
    assert.equal(out.filename, 'churn-classifier.zip');
    assert.equal(out.payload, path.join(dir, 'churn-classifier.zip'));
    assert.equal(sha256(fs.readFileSync(out.payload)), sha256(await bytesSentFor(server, request)));
    assert.deepEqual(filesIn(dir), ['churn-classifier.zip']);
  });

  it('asset to an existing folder given in the node, relative to the working directory', async function () {
    const { server } = ctx;
    const dir = tempFolder();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      fs.mkdirSync(path.join(dir, 'assets'));
      const asset = CONFIG_ASSET(server);
      const loaded = await loadDownload(server, { operation: 'asset', output: 'file', path: 'assets', experimentKey: LOGREG });
      const out = await succeed(loaded, { assetId: asset.assetId });
      const request = onlyRequest(server);
      assert.equal(request.path, 'experiment/asset/get-asset');
      assert.deepEqual(request.query, { experimentKey: LOGREG, assetId: asset.assetId });
      assert.equal(out.payload, path.join(dir, 'assets', 'config.yaml'));
      assert.deepEqual(fs.readFileSync(out.payload), asset.content);
      assert.equal(out.filename, 'config.yaml');
    } finally {
      process.chdir(cwd);
    }
  });

  it('artifact unpacked into msg.directory: the files of the zip, listed with sizes', async function () {
    const { server } = ctx;
    const dir = path.join(tempFolder(), 'new', 'dataset');
    const loaded = await loadDownload(server, { operation: 'artifact', output: 'extract' });
    const out = await succeed(loaded, { artifactName: 'churn-dataset', alias: 'production', directory: dir });
    const request = onlyRequest(server);
    assert.equal(request.path, 'artifacts/version/download');
    assert.deepEqual(request.query, { workspace: 'ml-team', artifactName: 'churn-dataset', alias: 'production' });
    const entries = await zipEntries(await bytesSentFor(server, request));
    assert.deepEqual(
      out.payload,
      entries.map((e) => ({ path: e.name, size: e.data.length })),
    );
    for (const entry of entries) assert.deepEqual(fs.readFileSync(path.join(dir, entry.name)), entry.data);
    assert.deepEqual(filesIn(dir), entries.map((e) => e.name).sort(), 'no temporary file or folder is left');
    assert.equal(out.filename, 'churn-dataset-2.0.0.zip');
    const shown = await loaded.status.until((s) => s.fill === 'green');
    assert.match(shown.text, /^3 files, \d+ B in \d+(\.\d)? s$/);
  });

  it('panel unpacked into a folder that holds other files: they stay, same-named ones are replaced', async function () {
    const { server } = ctx;
    const dir = tempFolder();
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    fs.writeFileSync(path.join(dir, 'style.css'), 'old');
    const templateId = ids.panelTemplateIds[0];
    const loaded = await loadDownload(server, { operation: 'panel', output: 'extract', path: dir, templateId });
    const out = await succeed(loaded, {});
    const request = onlyRequest(server);
    assert.equal(request.path, `template/${templateId}/download`);
    const entries = await zipEntries(await bytesSentFor(server, request));
    assert.deepEqual(out.payload.map((f) => f.path), ['template.json', 'code.js', 'style.css', 'index.html']);
    for (const entry of entries) assert.deepEqual(fs.readFileSync(path.join(dir, entry.name)), entry.data);
    assert.equal(fs.readFileSync(path.join(dir, 'notes.txt'), 'utf8'), 'mine');
    assert.deepEqual(filesIn(dir), ['code.js', 'index.html', 'notes.txt', 'style.css', 'template.json']);
  });

  it('replaces an existing file by default', async function () {
    const { server } = ctx;
    const file = path.join(tempFolder(), 'model.zip');
    fs.writeFileSync(file, 'old model');
    const loaded = await loadDownload(server, { operation: 'registryModel', output: 'file', path: file });
    const out = await succeed(loaded, { modelName: 'fraud-detector' });
    assert.equal(sha256(fs.readFileSync(out.payload)), sha256(await bytesSentFor(server, onlyRequest(server))));
  });

  it('with overwrite off, an existing file fails the msg before anything is downloaded', async function () {
    const { server } = ctx;
    const dir = tempFolder();
    const file = path.join(dir, 'model.zip');
    fs.writeFileSync(file, 'old model');
    const loaded = await loadDownload(server, { operation: 'registryModel', output: 'file', path: file, overwrite: false });
    const caught = await fail(loaded, { modelName: 'fraud-detector' });
    assert.equal(caught.error.code, 'COMET_FILE_ERROR');
    assert.match(caught.error.message, /model\.zip exists and the node is set not to overwrite/);
    assert.equal(fs.readFileSync(file, 'utf8'), 'old model');
    assert.deepEqual(filesIn(dir), ['model.zip']);
  });

  it('with overwrite off, unpacking over an existing file moves none of the files', async function () {
    const { server } = ctx;
    const dir = tempFolder();
    fs.writeFileSync(path.join(dir, 'README.md'), 'mine');
    const loaded = await loadDownload(server, { operation: 'artifact', output: 'extract', path: dir, overwrite: false });
    const caught = await fail(loaded, { artifactName: 'churn-dataset' });
    assert.equal(caught.error.code, 'COMET_FILE_ERROR');
    assert.match(caught.error.message, /README\.md exists/);
    assert.deepEqual(filesIn(dir), ['README.md']);
    assert.equal(fs.readFileSync(path.join(dir, 'README.md'), 'utf8'), 'mine');
  });

  it('version and stage together: bad input, nothing sent', async function () {
    const { server } = ctx;
    const loaded = await loadDownload(server, { operation: 'registryModel', output: 'buffer' });
    const caught = await fail(loaded, { modelName: 'churn-model', version: '1.0.0', stage: 'production' });
    assertBadInput(server, caught, 'version', 'stage');
  });

  it('a file output without a path or msg.filename: bad input naming both, nothing sent', async function () {
    const { server } = ctx;
    const loaded = await loadDownload(server, { operation: 'registryModel', output: 'file' });
    const caught = await fail(loaded, { modelName: 'churn-model' });
    assertBadInput(server, caught, 'Path', 'msg.filename');
  });

  it('a bad size setting: bad input naming the field', async function () {
    const { server } = ctx;
    const loaded = await loadDownload(server, { operation: 'registryModel', output: 'buffer', maxBufferBytes: 'lots' });
    const caught = await fail(loaded, { modelName: 'churn-model' });
    assertBadInput(server, caught, 'Buffer limit', 'lots');
  });
});
