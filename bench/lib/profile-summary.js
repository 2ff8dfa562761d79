'use strict';
// Reads a --cpu-prof profile and prints where the time went: self time per
// function (file:line), and total (inclusive) time per file of this package.
//   node bench/lib/profile-summary.js <file.cpuprofile> [top=30]
const fs = require('fs');
const path = require('path');

function summariseProfile(file, top = 30) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const counts = new Map();
  for (const id of profile.samples) counts.set(id, (counts.get(id) || 0) + 1);
  const dt = (profile.endTime - profile.startTime) / 1000 / profile.samples.length; // ms per sample
  const name = (n) => {
    const f = n.callFrame;
    const where = f.url ? `${path.relative(process.cwd(), f.url.replace(/^file:\/\//, ''))}:${f.lineNumber + 1}` : '';
    return `${f.functionName || '(anonymous)'} ${where}`.trim();
  };
  for (const [id, c] of counts) {
    const key = name(byId.get(id));
    self.set(key, (self.get(key) || 0) + c * dt);
  }
  const total = profile.samples.length * dt;
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  const lines = [`total ${total.toFixed(0)} ms sampled`, ...rows.map(([k, ms]) => `${ms.toFixed(0).padStart(7)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${k}`)];
  return lines.join('\n');
}

module.exports = { summariseProfile };

if (require.main === module) console.log(summariseProfile(process.argv[2], Number(process.argv[3]) || 30));
