'use strict';
// Reads a CPU profile (.cpuprofile) and prints where the time went: self time
// by owner (this package, undici, Node-RED, Node itself, GC, idle), self time
// per function (file:line), and inclusive time per function of this package;
// or a sampling heap profile (.heapprofile): bytes allocated by owner and by
// function. `count`: msgs in the profile, to show µs (or bytes) per msg.
//   node bench/lib/profile-summary.js <file.cpuprofile|file.heapprofile> [top=30] [count]
const fs = require('fs');
const path = require('path');

const PACKAGE = '@flowml/node-red-comet/';

/** Who a function belongs to, from its script's URL. */
function ownerOf(frame) {
  const url = frame.url || '';
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : 'native (V8, Node, libuv)';
  if (url.includes(PACKAGE) || url.includes('/work/main/nodes/')) return 'this package';
  if (url.includes('/undici/')) return 'undici';
  if (url.includes('bench/lib/')) return 'the benchmark driver and ten-line node';
  if (url.includes('node-red') || url.includes('@node-red')) return 'Node-RED';
  if (url.startsWith('node:')) return 'Node (JS)';
  return 'other modules';
}

function summariseProfile(file, top = 30, count = 0) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const hits = new Map();
  for (const id of profile.samples) hits.set(id, (hits.get(id) || 0) + 1);
  const dt = (profile.endTime - profile.startTime) / 1000 / profile.samples.length; // ms per sample
  const name = (n) => {
    const f = n.callFrame;
    const where = f.url ? `${path.basename(f.url.replace(/^file:\/\//, ''))}:${f.lineNumber + 1}` : '';
    return `${f.functionName || '(anonymous)'} ${where}`.trim();
  };
  const self = new Map();
  const owners = new Map();
  const inclusive = new Map();
  for (const [id, c] of hits) {
    const node = byId.get(id);
    const add = (map, key) => map.set(key, (map.get(key) || 0) + c * dt);
    add(self, name(node));
    add(owners, ownerOf(node.callFrame));
    // Each package function on the stack once, however deep it recurses.
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at);
      if (ownerOf(frame.callFrame) !== 'this package') continue;
      const key = name(frame);
      if (!seen.has(key)) add(inclusive, key);
      seen.add(key);
    }
  }
  const total = profile.samples.length * dt;
  const busy = total - (owners.get('(idle)') || 0);
  const line = (k, ms) => `${ms.toFixed(0).padStart(7)} ms ${((100 * ms) / busy).toFixed(1).padStart(5)}%${count ? `${((1000 * ms) / count).toFixed(1).padStart(7)} µs/msg` : ''}  ${k}`;
  const sorted = (map, n) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  return [
    `total ${total.toFixed(0)} ms sampled, ${busy.toFixed(0)} ms not idle (percentages of that)`,
    '',
    'self time by owner:',
    ...sorted(owners, 20).map(([k, ms]) => line(k, ms)),
    '',
    'self time by function:',
    ...sorted(self, top).map(([k, ms]) => line(k, ms)),
    '',
    'inclusive time, functions of this package:',
    ...sorted(inclusive, top).map(([k, ms]) => line(k, ms)),
  ].join('\n');
}

/** A sampling heap profile (.heapprofile): bytes allocated by function, and by owner. */
function summariseAllocations(file, top = 30, count = 0) {
  const { head } = JSON.parse(fs.readFileSync(file, 'utf8'));
  const self = new Map();
  const owners = new Map();
  const add = (map, key, bytes) => map.set(key, (map.get(key) || 0) + bytes);
  const walk = (node) => {
    const f = node.callFrame;
    const where = f.url ? `${path.basename(f.url.replace(/^file:\/\//, ''))}:${f.lineNumber + 1}` : '';
    add(self, `${f.functionName || '(anonymous)'} ${where}`.trim(), node.selfSize);
    add(owners, ownerOf(f), node.selfSize);
    for (const child of node.children || []) walk(child);
  };
  walk(head);
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const line = (k, bytes) => `${(bytes / 1e6).toFixed(1).padStart(8)} MB ${((100 * bytes) / total).toFixed(1).padStart(5)}%${count ? `${(bytes / count).toFixed(0).padStart(7)} B/msg` : ''}  ${k}`;
  const sorted = (map, n) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  return [`${(total / 1e6).toFixed(1)} MB allocated (sampled)`, '', 'by owner:', ...sorted(owners, 20).map(([k, b]) => line(k, b)), '', 'by function:', ...sorted(self, top).map(([k, b]) => line(k, b))].join('\n');
}

module.exports = { summariseProfile, summariseAllocations };

if (require.main === module) {
  const [file, top, count] = process.argv.slice(2);
  const summarise = file.endsWith('.heapprofile') ? summariseAllocations : summariseProfile;
  console.log(summarise(file, Number(top) || 30, Number(count) || 0));
}
