'use strict';
// The layers of src/ (docs/architecture.md) and what each may import: a layer
// uses only those below it, and only the Node-RED glue, the download node and
// the node entry files know Node-RED exists. A new import that crosses a
// layer the wrong way fails here, so the folders keep meaning what they say.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const SRC = path.join(__dirname, '..', 'src');

/** Layer -> the layers it may import (besides itself). */
const ALLOWED = {
  text: [],
  client: ['text'],
  catalogue: ['client', 'text'],
  filter: ['catalogue', 'client', 'text'],
  triggers: ['catalogue', 'client', 'text'],
  report: ['catalogue', 'client', 'filter', 'text'],
  cluster: ['client', 'text', 'triggers'],
  'node-red': ['catalogue', 'client', 'cluster', 'filter', 'text', 'triggers'],
  download: ['catalogue', 'client', 'node-red', 'text'],
  editor: [],
};
/** Packages that only the Node-RED side may use. */
const NODE_RED_PACKAGES = ['node-red', 'express', '@node-red/util', '@node-red/runtime'];
const KNOWS_NODE_RED = new Set(['node-red', 'download', 'entry']);

function sourceFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function layerOf(file) {
  const parts = path.relative(SRC, file).split(path.sep);
  return parts.length === 1 ? 'entry' : parts[0];
}

function importsOf(file) {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]);
}

describe('architecture: the layers of src/', function () {
  const files = sourceFiles(SRC);

  it('has every source file in a known layer or at the top (the node entry files)', function () {
    const unknown = files.map(layerOf).filter((layer) => layer !== 'entry' && !(layer in ALLOWED));
    assert.deepEqual([...new Set(unknown)], []);
  });

  for (const file of files) {
    const layer = layerOf(file);
    if (layer === 'entry') continue;
    const name = path.relative(SRC, file);
    it(`${name} imports only from the layers below ${layer}`, function () {
      const wrong = [];
      for (const spec of importsOf(file)) {
        if (spec.startsWith('.')) {
          const target = layerOf(path.resolve(path.dirname(file), `${spec}.ts`));
          if (target !== layer && !ALLOWED[layer].includes(target)) wrong.push(`${spec} (${target})`);
        } else if (!KNOWS_NODE_RED.has(layer) && NODE_RED_PACKAGES.some((pkg) => spec === pkg || spec.startsWith(`${pkg}/`))) {
          wrong.push(`${spec} (Node-RED)`);
        }
      }
      assert.deepEqual(wrong, [], `${name} may import from: ${[layer, ...ALLOWED[layer]].join(', ')}`);
    });
  }

  it('sees the imports it checks (the client imports undici, the operation node Node-RED types)', function () {
    assert.ok(importsOf(path.join(SRC, 'client', 'client.ts')).includes('undici'));
    assert.ok(importsOf(path.join(SRC, 'node-red', 'operation-node.ts')).includes('node-red'));
  });
});
