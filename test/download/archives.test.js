'use strict';
// comet-download-model, output "extract": archives that must not be unpacked
// (zip slip, absolute paths, symlinks, zip bombs, damaged entries) are refused
// whole, and nothing lands inside the folder or outside it.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { buildZip } = require('../../sample-server/zip');
const { useNodeTest, succeed, fail } = require('../nodes/harness');
const { tempFolder, loadDownload, filesIn } = require('./support');

const REGISTRY = 'registry-model/item/download';

describe('comet-download-model: unsafe archives', function () {
  const ctx = useNodeTest();

  /** Serves `entries` as the registry model zip and unpacks it into <root>/model; returns the Catch node's msg or the sent msg. */
  async function unpack(entries, props = {}, expectFailure = true) {
    const { server } = ctx;
    const root = tempFolder();
    const folder = path.join(root, 'deep', 'model');
    server.fault(REGISTRY, { body: Buffer.isBuffer(entries) ? entries : buildZip(entries) });
    const loaded = await loadDownload(server, { operation: 'registryModel', output: 'extract', path: folder, ...props });
    const msg = expectFailure ? await fail(loaded, { modelName: 'churn-model' }) : await succeed(loaded, { modelName: 'churn-model' });
    return { msg, root, folder };
  }

  function assertRefused({ msg, root }, pattern) {
    assert.equal(msg.error.code, 'COMET_BAD_ARCHIVE');
    assert.match(msg.error.message, pattern);
    assert.match(msg.error.message, /nothing was unpacked/);
    assert.deepEqual(filesIn(root), [], 'nothing written, inside the folder or out of it');
  }

  it('unpacks nested folders and empty directory entries', async function () {
    const { msg, folder } = await unpack(
      [{ name: 'model/', directory: true }, { name: 'model/weights/part-1.bin', data: 'one' }, { name: 'empty/', directory: true }, { name: 'README', data: 'hello' }],
      {},
      false,
    );
    assert.deepEqual(msg.payload, [
      { path: 'model/weights/part-1.bin', size: 3 },
      { path: 'README', size: 5 },
    ]);
    assert.equal(fs.readFileSync(path.join(folder, 'model/weights/part-1.bin'), 'utf8'), 'one');
    assert.ok(fs.statSync(path.join(folder, 'empty')).isDirectory());
    assert.deepEqual(filesIn(folder), ['README', 'model/weights/part-1.bin']);
  });

  it('unpacks deflated entries beside stored ones', async function () {
    const text = 'weights '.repeat(20000);
    const { msg, folder } = await unpack([{ name: 'model/weights.txt', data: text, deflate: true }, { name: 'model/MLmodel', data: 'flavors: {}' }], {}, false);
    assert.deepEqual(msg.payload, [
      { path: 'model/weights.txt', size: text.length },
      { path: 'model/MLmodel', size: 11 },
    ]);
    assert.equal(fs.readFileSync(path.join(folder, 'model/weights.txt'), 'utf8'), text);
  });

  it('refuses a deflated entry that inflates to other bytes than its CRC says', async function () {
    const zip = buildZip([{ name: 'weights.txt', data: 'abc'.repeat(1000), deflate: true }]);
    zip.writeUInt32LE(0x12345678, 14); // the local header's CRC-32
    zip.writeUInt32LE(0x12345678, zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 16); // and the central directory's
    assertRefused(await unpack(zip), /damaged: entry "weights\.txt" could not be read \(CRC-32 mismatch\)/);
  });

  it('refuses a deflated entry whose data is not deflate', async function () {
    const zip = buildZip([{ name: 'weights.txt', data: 'abc'.repeat(1000), deflate: true }]);
    const nameEnd = 30 + 'weights.txt'.length;
    zip.fill(0xff, nameEnd, nameEnd + 8);
    assertRefused(await unpack(zip), /damaged: entry "weights\.txt" could not be read/);
  });

  it('refuses an entry that climbs out of the folder (zip slip)', async function () {
    assertRefused(await unpack([{ name: 'ok.txt', data: 'fine' }, { name: '../../evil.txt', data: 'owned' }]), /unsafe to unpack \(invalid relative path: \.\.\/\.\.\/evil\.txt\)/);
  });

  it('refuses a backslash zip slip made on Windows', async function () {
    assertRefused(await unpack([{ name: '..\\..\\evil.txt', data: 'owned' }]), /unsafe to unpack/);
  });

  it('refuses an absolute path', async function () {
    const target = path.join(tempFolder(), 'absolute-evil.txt');
    assertRefused(await unpack([{ name: target, data: 'owned' }]), /unsafe to unpack \(absolute path/);
    assert.equal(fs.existsSync(target), false);
  });

  it('refuses a symlink entry', async function () {
    assertRefused(await unpack([{ name: 'model.pkl', data: 'x' }, { name: 'passwd', symlink: '/etc/passwd' }]), /entry "passwd" is a symbolic link/);
  });

  it('refuses a symlink followed by an entry written through it', async function () {
    assertRefused(await unpack([{ name: 'link', symlink: '/etc' }, { name: 'link/../x', data: 'y' }]), /unsafe to unpack/);
  });

  it('refuses more files than Max files, before writing any', async function () {
    const entries = Array.from({ length: 5 }, (_, i) => ({ name: `f${i}.txt`, data: 'x' }));
    assertRefused(await unpack(entries, { maxFiles: '4' }), /more than 4 files/);
  });

  it('refuses an archive that unpacks to more than Max unpacked (a zip bomb)', async function () {
    assertRefused(await unpack([{ name: 'small.txt', data: 'x' }, { name: 'big.bin', data: Buffer.alloc(5000) }], { maxUnpackedBytes: '4k' }), /unpacks to more than 4,096 bytes/);
  });

  it('stops a deflated entry that inflates past the size it declares (a zip bomb that lies)', async function () {
    const zip = buildZip([{ name: 'bomb.bin', data: Buffer.alloc(1024 * 1024), deflate: true }]);
    zip.writeUInt32LE(100, 22); // the local header's uncompressed size
    zip.writeUInt32LE(100, zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 24); // and the central directory's
    assertRefused(await unpack(zip, { maxUnpackedBytes: '4k' }), /damaged: entry "bomb\.bin" could not be read \(too many bytes in the stream/);
  });

  it('refuses an entry whose bytes do not match its CRC', async function () {
    const zip = buildZip([{ name: 'weights.bin', data: 'abcdefgh' }]);
    zip[zip.indexOf('abcdefgh')] = 'X'.charCodeAt(0);
    assertRefused(await unpack(zip), /damaged: entry "weights\.bin" could not be read \(CRC-32 mismatch\)/);
  });

  it('refuses to move files through a symlink in the folder that leads out of it', async function () {
    const { server } = ctx;
    const root = tempFolder();
    const outside = path.join(root, 'outside');
    const folder = path.join(root, 'model');
    fs.mkdirSync(outside);
    fs.mkdirSync(folder);
    fs.symlinkSync(outside, path.join(folder, 'weights'));
    server.fault(REGISTRY, { body: buildZip([{ name: 'weights/w.bin', data: 'x' }]) });
    const loaded = await loadDownload(server, { operation: 'registryModel', output: 'extract', path: folder });
    const caught = await fail(loaded, { modelName: 'churn-model' });
    assert.equal(caught.error.code, 'COMET_BAD_ARCHIVE');
    assert.match(caught.error.message, /leads through a symbolic link out of the folder/);
    assert.deepEqual(fs.readdirSync(outside), []);
    assert.deepEqual(fs.readdirSync(folder), ['weights'], 'no temporary file or folder is left');
  });
});
