#!/usr/bin/env node
// Writes docs/reliability.md from a run of the reliability suite, so the
// document is what the suite proved, written on purpose and never as a side
// effect of a test run (the suite only renders it into .tmp/ and checks it,
// see test/reliability/matrix.js).
// `node scripts/reliability-doc.js` runs `mocha test/reliability` and rewrites
// the document when every row passed; `--check` only compares, says what
// differs, and exits 1 when the committed document is stale.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const { DOC, differences } = require(path.join(root, 'test', 'reliability', 'matrix.js'));
const check = process.argv.includes('--check');
const relDoc = path.relative(process.cwd(), DOC);

/** Runs the whole suite with its rendering sent to `out`; returns mocha's exit status. */
function runSuite(out) {
  const mocha = require.resolve('mocha/bin/mocha.js', { paths: [root] });
  const run = spawnSync(process.execPath, [mocha, 'test/reliability'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, COMET_RELIABILITY_DOC_SCRIPT_OUT: out },
  });
  if (run.error) throw run.error;
  return run.status === null ? 1 : run.status;
}

function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comet-reliability-'));
  try {
    const out = path.join(dir, 'reliability.md');
    const status = runSuite(out);
    if (!fs.existsSync(out)) {
      console.error(`\nThe reliability suite did not run every row (mocha exit status ${status}): ${relDoc} left as it was.`);
      return 1;
    }
    const rendered = fs.readFileSync(out, 'utf8');
    const committed = fs.existsSync(DOC) ? fs.readFileSync(DOC, 'utf8') : '';
    const diff = differences(committed, rendered);
    if (check || status !== 0) {
      if (status !== 0) console.error(`\nThe reliability suite failed (mocha exit status ${status}): ${relDoc} left as it was.`);
      if (!diff) {
        console.log(`\n${relDoc} is what this run observed.`);
        return status === 0 ? 0 : 1;
      }
      console.error(`\n${relDoc} is not what this run observed (- committed, + this run):\n\n${diff}\n`);
      if (status === 0) console.error('Run `npm run docs:reliability` to rewrite it.');
      return 1;
    }
    if (!diff) {
      console.log(`\n${relDoc} is already what this run observed.`);
      return 0;
    }
    fs.writeFileSync(DOC, rendered);
    console.log(`\n${relDoc} rewritten from this run:\n\n${diff}`);
    return 0;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = main();
