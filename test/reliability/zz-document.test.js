'use strict';
// docs/reliability.md must say what the suite proves. After every row of a
// whole run, this renders the document from the observations (to .tmp/, see
// matrix.js) and fails when the committed one says something else: a row
// whose outcome changed, a new or removed row. Its name sorts last, so mocha
// (which loads a folder's files in name order) runs it after every row.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { declare, complete, writeRendered, differences, DOC, RENDERED, SCRIPT_OUT, FILES } = require('./matrix');

declare(__filename);

describe('reliability: docs/reliability.md', function () {
  it('is what this run of the whole suite observed', function () {
    const last = FILES.slice().sort().pop();
    assert.equal(last, path.basename(__filename), `${last} sorts after this file, so its rows would run after the document check: rename one of them`);
    if (!complete()) {
      this.skip(); // a partial run (one file, --grep) proves only part of the document
    }
    const rendered = writeRendered();
    // scripts/reliability-doc.js compares (or writes) the document itself, saying what differs.
    if (SCRIPT_OUT) this.skip();
    const committed = fs.existsSync(DOC) ? fs.readFileSync(DOC, 'utf8') : '';
    const diff = differences(committed, rendered);
    if (diff) {
      assert.fail(`docs/reliability.md is not what this run observed (- committed, + this run; rendered: ${path.relative(process.cwd(), RENDERED)}).\n`
        + `If the change is intended, run npm run docs:reliability to rewrite it.\n\n${diff}`);
    }
  });
});
