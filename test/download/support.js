'use strict';
// What the download tests share: fresh folders, the bytes the sample server
// sends for a request (fetched again, independently of the node), zip
// contents, and a look at every file a folder holds (hidden ones too).
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const yauzl = require('yauzl');
const { SAMPLE_KEY } = require('../helpers/runtime');
const { loadNode } = require('../nodes/harness');

const TYPE = 'comet-download-model';

/** A new empty folder, removed after the test file. */
const made = [];
function tempFolder() {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'comet-dl-')));
  made.push(dir);
  return dir;
}
after(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Loads the download node with `props` (operation, output, path...), wired as the harness does. */
function loadDownload(server, props, configOptions) {
  return loadNode(server, { type: TYPE, ...props }, configOptions);
}

function sha256(bytes) {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

/** The bytes the sample server sends for the request it recorded, asked for again with plain fetch. */
async function bytesSentFor(server, request) {
  const url = new URL(request.path, server.restRoot);
  for (const [name, value] of Object.entries(request.query)) url.searchParams.set(name, value);
  const res = await fetch(url, { headers: { authorization: SAMPLE_KEY } });
  if (!res.ok) throw new Error(`fetch ${url}: HTTP ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/** A zip's entries: [{ name, data }] (directories have no data). */
async function zipEntries(buffer) {
  const zip = await yauzl.fromBufferPromise(buffer);
  const entries = [];
  for await (const entry of zip.eachEntry()) {
    if (entry.fileName.endsWith('/')) continue;
    const stream = await zip.openReadStreamPromise(entry);
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    entries.push({ name: entry.fileName, data: Buffer.concat(chunks) });
  }
  return entries;
}

/** Every file below `dir`, relative, with `/`, sorted; hidden files and leftovers included. */
function filesIn(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => path.relative(dir, path.join(entry.parentPath ?? entry.path, entry.name)).split(path.sep).join('/'))
    .sort();
}

module.exports = { TYPE, tempFolder, loadDownload, sha256, bytesSentFor, zipEntries, filesIn };
