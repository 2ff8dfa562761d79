'use strict';
// What the editor builds dialogs from (resources/catalogue.js, and the HTML
// scripts/build-editor.js writes): the endpoint catalogue's entries, and
// comet-report's inputs (src/report/inputs.ts) as a node of one operation, so
// its fields are the same TypedInput rows as every API node's and cannot
// drift from what the runtime reads.
const path = require('node:path');

const NODES = path.join(__dirname, '..', '..', 'nodes');

function editorCatalogue() {
  const { CATALOGUE } = require(path.join(NODES, 'catalogue', 'catalogue.js'));
  const { REPORT_INPUTS } = require(path.join(NODES, 'report', 'inputs.js'));
  return { ...CATALOGUE, 'comet-report': { operations: { report: REPORT_INPUTS } } };
}

module.exports = { editorCatalogue };
