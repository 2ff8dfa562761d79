'use strict';
// The README is part of the contract: its node table comes from the
// catalogue and its error table must list every code the package can give.
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ERROR_CODES } = require('../nodes/client/errors');

const root = path.join(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

describe('README', () => {
  it('has the node table the catalogue gives (scripts/docs.js)', () => {
    execFileSync(process.execPath, [path.join(root, 'scripts', 'docs.js'), '--check'], { stdio: 'pipe' });
  });

  it('documents every error code', () => {
    for (const code of Object.values(ERROR_CODES)) assert.match(readme, new RegExp(`\`${code}\``), code);
  });

  it('names every node type of package.json', () => {
    for (const type of Object.keys(require('../package.json')['node-red'].nodes)) {
      assert.match(readme, new RegExp(`\`${type}\``), type);
    }
  });
});
