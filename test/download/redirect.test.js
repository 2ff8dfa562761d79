'use strict';
// comet-download-model, operation "asset": Comet redirects to its storage;
// the file comes from there, and the API key stays with Comet.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { ids } = require('../../sample-server/data');
const { useNodeTest, succeed } = require('../nodes/harness');
const { SAMPLE_KEY } = require('../helpers/runtime');
const { tempFolder, loadDownload } = require('./support');

const LOGREG = ids.experiments['logreg-baseline'];

describe('comet-download-model: asset redirected to storage', function () {
  const ctx = useNodeTest();

  it('follows the redirect without sending the key to the storage host', async function () {
    const { server } = ctx;
    const dir = tempFolder();
    const asset = server.data.experiments[LOGREG].assets.find((a) => a.assetId === ids.remoteAssetId);
    const loaded = await loadDownload(server, { operation: 'asset', output: 'file', path: `${dir}/` });
    const out = await succeed(loaded, { experimentKey: LOGREG, assetId: ids.remoteAssetId });

    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0].headers.authorization, SAMPLE_KEY);
    assert.equal(server.storage.requests.length, 1);
    const stored = server.storage.requests[0];
    assert.equal(stored.headers.authorization, undefined, 'the storage host must not get the Comet key');
    assert.ok(!Object.values(stored.headers).includes(SAMPLE_KEY));
    assert.ok(!JSON.stringify(stored.query).includes(SAMPLE_KEY));

    assert.equal(out.filename, 'training-data.parquet', 'named after the storage URL, which has no Content-Disposition');
    assert.equal(out.payload, path.join(dir, 'training-data.parquet'));
    assert.deepEqual(fs.readFileSync(out.payload), asset.content);
  });
});
