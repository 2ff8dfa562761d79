'use strict';
// The documents the package implements, read for tests: Comet's page of read
// endpoints and the public contract of the nodes. The repository keeps its own
// copies of them under docs/ (see docs/comet-api/README.md), so a clone runs
// its tests with nothing beside it.
const fs = require('node:fs');
const path = require('node:path');

const DOCS = path.join(__dirname, '..', '..', 'docs');

/** A shared document by its path under shared/ ('spec/nodes.md'), read from the repository's copy under docs/. */
function sharedDocument(relative) {
  return fs.readFileSync(path.join(DOCS, relative), 'utf8');
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
