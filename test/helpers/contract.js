'use strict';
// The shared documents the package implements, read for tests: Comet's page
// of read endpoints and the public contract of the nodes.
const fs = require('node:fs');
const path = require('node:path');

/** A shared document, relative to the repo (../shared/...), else under /work/shared. */
function sharedDocument(relative) {
  const candidates = [path.join(__dirname, '..', '..', '..', 'shared', relative), path.join('/work/shared', relative)];
  const found = candidates.find((file) => fs.existsSync(file));
  if (!found) throw new Error(`cannot find ${relative} in ${candidates.join(' or ')}`);
  return fs.readFileSync(found, 'utf8');
}

/**
 * The contract's sections (`## comet-x ("label")`): for each node type its
 * palette label, and its operations with endpoint and the text naming their
 * msg inputs (the table row, plus the section's prose such as "All take
 * `experimentKey`").
 */
function contractNodes(text) {
  const nodes = {};
  for (const section of text.split(/^## /m).slice(1)) {
    const heading = /^(comet-[\w-]+) \("([^"]+)"\)/.exec(section);
    if (!heading) continue;
    const [, type, label] = heading;
    const prose = section
      .split('\n')
      .filter((line) => !line.startsWith('|'))
      .join(' ');
    const operations = {};
    for (const line of section.split('\n')) {
      const row = /^\| (\w+) \| (GET|POST) (\S+)[^|]*\|([^|]*)\|/.exec(line);
      if (row && row[1] !== 'operation') operations[row[1]] = { method: row[2], path: row[3], inputs: `${row[4]} ${prose}` };
    }
    const single = /One operation, `(\w+)`: (GET|POST) ([^\s;]+)/.exec(prose);
    if (single) operations[single[1]] = { method: single[2], path: single[3], inputs: prose };
    nodes[type] = { label, operations };
  }
  return nodes;
}

module.exports = { sharedDocument, contractNodes };
