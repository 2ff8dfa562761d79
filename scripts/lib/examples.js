'use strict';
// Puts every flow of examples/ into one flows file, each in its own tab, all
// sharing one comet-config node: what the demo runs and the editor test deploys.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
const CONFIG_TYPE = 'comet-config';

/** The example files, as [{ file, title, nodes }], in name order. */
function readExamples(dir = EXAMPLES) {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const nodes = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
      if (!Array.isArray(nodes)) throw new Error(`examples/${name} is not a flow (an array of nodes)`);
      return { file: name, title: name.replace(/\.json$/, '').replace(/^\d+[-_ ]*/, '').replace(/[-_]+/g, ' '), nodes };
    });
}

function newId(file, id) {
  return crypto.createHash('sha1').update(`${file}\0${id}`).digest('hex').slice(0, 16);
}

/** Replaces every string equal to a key of `ids` anywhere inside `value`. */
function remap(value, ids) {
  if (typeof value === 'string') return ids.has(value) ? ids.get(value) : value;
  if (Array.isArray(value)) return value.map((item) => remap(item, ids));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, remap(item, ids)]));
  }
  return value;
}

/**
 * One flow: a tab per example (labelled from its file name or its own tab),
 * its nodes given fresh ids (examples may reuse each other's), and every
 * comet-config replaced by `config` (one node, listed first).
 */
function combineExamples(config, examples = readExamples()) {
  const flow = [config];
  for (const { file, title, nodes } of examples) {
    const tabId = newId(file, 'tab');
    const ownTab = nodes.find((n) => n.type === 'tab');
    const ids = new Map();
    for (const n of nodes) {
      if (n.type === 'tab') ids.set(n.id, tabId);
      else if (n.type === CONFIG_TYPE) ids.set(n.id, config.id);
      else ids.set(n.id, newId(file, n.id));
    }
    const known = new Set(ids.values());
    flow.push({ id: tabId, type: 'tab', label: (ownTab && ownTab.label) || title, disabled: false, info: (ownTab && ownTab.info) || `From examples/${file}` });
    for (const n of nodes) {
      if (n.type === 'tab' || n.type === CONFIG_TYPE) continue;
      const copy = remap(n, ids);
      // A node drawn on a canvas (it has a position), or exported without its
      // tab, belongs on this example's tab; one inside a subflow stays there.
      const placed = copy.z !== undefined && known.has(copy.z);
      if (!placed && (copy.z !== undefined || copy.x !== undefined)) copy.z = tabId;
      flow.push(copy);
    }
  }
  return flow;
}

module.exports = { EXAMPLES, readExamples, combineExamples };
