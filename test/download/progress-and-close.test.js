'use strict';
// comet-download-model while the bytes arrive: progress in the status, and a
// redeploy in the middle that aborts the download, removes its temporary
// file and sends nothing.
const assert = require('node:assert/strict');
const path = require('node:path');
const { helper } = require('../helpers/runtime');
const { useNodeTest, succeed } = require('../nodes/harness');
const { tempFolder, loadDownload, filesIn } = require('./support');

const REGISTRY = 'registry-model/item/download';
const MiB = 1024 * 1024;

describe('comet-download-model: progress and close', function () {
  const ctx = useNodeTest();
  afterEach(() => ctx.server.data.setDownloadSize(null));

  it('shows bytes and percent while downloading, then size and time', async function () {
    const { server } = ctx;
    server.data.setDownloadSize(MiB);
    // 16 pieces 100 ms apart: the download lasts well over the status interval.
    server.fault(REGISTRY, { trickleMs: 100, trickleBytes: 64 * 1024 });
    const loaded = await loadDownload(server, { operation: 'registryModel', output: 'file', path: path.join(tempFolder(), 'model.zip') });
    await succeed(loaded, { modelName: 'churn-model' });
    const done = await loaded.status.until((s) => s.fill === 'green');
    assert.match(done.text, /^1\.0 MB in \d+(\.\d)? s$/);
    const progress = loaded.status.seen.filter((s) => s.fill === 'blue' && /%\)$/.test(s.text));
    assert.ok(progress.length > 0, `statuses: ${JSON.stringify(loaded.status.seen)}`);
    for (const s of progress) assert.match(s.text, /^\d+(\.\d)? (B|kB|MB) \(\d{1,3}%\)$/);
  });

  for (const output of ['file', 'extract']) {
    it(`${output}: closing mid-download aborts it, removes the temporary file and sends nothing`, async function () {
      const { server } = ctx;
      const dir = tempFolder();
      server.data.setDownloadSize(4 * MiB);
      server.fault(REGISTRY, { trickleMs: 50, trickleBytes: 16 * 1024 });
      const loaded = await loadDownload(server, { operation: 'registryModel', output, path: path.join(dir, output === 'file' ? 'model.zip' : 'model') });
      loaded.node.receive({ modelName: 'churn-model' });
      await loaded.status.until((s) => s.fill === 'blue' && /%\)$/.test(s.text));
      assert.equal(filesIn(dir).filter((f) => /\.comet-download-[0-9a-f]+\.part$/.test(f)).length, 1, 'the download writes a temporary file');
      await helper.unload();
      assert.deepEqual(filesIn(dir), [], 'close waits until the temporary file is removed');
      assert.deepEqual([...loaded.outcomes.sent, ...loaded.outcomes.caught], []);
    });
  }
});
