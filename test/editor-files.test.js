'use strict';
// The catalogue nodes' HTML is written by scripts/build-editor.js and
// committed: each committed file must be what the catalogue, the locale files
// and the editor script give now (run `npm run build` and commit otherwise).
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { render, stale } = require('../scripts/build-editor');
const { editorCatalogue } = require('../scripts/lib/editor-catalogue');
const { WATCHES } = require('../scripts/lib/editor-html');

const ROOT = path.join(__dirname, '..');
const SCRIPT = path.join(ROOT, 'scripts', 'build-editor.js');

describe('editor files written from the catalogue', function () {
  let files;
  before(() => {
    files = render();
  });

  it('are one HTML file per catalogue node, comet-report and each watch node', () => {
    const written = Object.keys(files).map((file) => path.relative(ROOT, file));
    const types = [...Object.keys(editorCatalogue()), ...Object.keys(WATCHES)];
    assert.deepEqual(written.sort(), types.map((type) => `nodes/${type}.html`).sort());
    assert.ok(written.includes('nodes/comet-report.html'));
    assert.ok(written.includes('nodes/comet-experiment-watch.html'));
  });

  it('are committed as the build writes them (else: npm run build, and commit nodes/*.html)', () => {
    assert.deepEqual(stale(files), []);
  });

  it('a file that differs is named', () => {
    const [file] = Object.keys(files);
    const edited = { ...files, [file]: files[file].replace('Comet ML', 'Comet') };
    assert.deepEqual(
      stale(edited).find(([name]) => name === path.relative(ROOT, file)),
      [path.relative(ROOT, file), 'differs from what the catalogue gives']
    );
  });

  it('--check exits 0 when all are current, and writes nothing', () => {
    assert.equal(execFileSync(process.execPath, [SCRIPT, '--check'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }), '');
  });
});
