'use strict';
// The reliability matrix of docs/reliability.md. Each reliability test is a
// row: it states what should happen and returns what it saw. When every
// file of test/reliability/ has run all its rows, the table is written from
// those observations, so the document is what the suite last proved. A
// partial run (one file, --grep) leaves the document alone.
const fs = require('node:fs');
const path = require('node:path');

const DOC = path.join(__dirname, '..', '..', 'docs', 'reliability.md');
const FILES = fs.readdirSync(__dirname).filter((file) => file.endsWith('.test.js'));

/** { section, title, expected, observed } in the order the files declare them. */
const rows = [];
const declared = new Set();

/** Ports and Node versions' wording differ per run; the document must not churn. */
function stable(text) {
  return String(text)
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>')
    .replace(/ \(line \d+ column \d+\)/g, '') // Node 22 adds this to JSON.parse errors, Node 20 does not
    .replace(/\s+/g, ' ')
    .trim();
}

function cell(text) {
  return stable(text).replace(/\|/g, '\\|');
}

function isPending(err) {
  return err && err.constructor && err.constructor.name === 'Pending';
}

/**
 * Declares a section of the table for test file `file` (its __filename) and
 * returns `row(title, expected, test)`: an it() whose `test` returns the
 * observation (text). `test` gets mocha's context; `this.skip()` inside it
 * records the row as skipped, with `skipReason` set on the context.
 */
function section(file, title) {
  declared.add(path.basename(file));
  return function row(rowTitle, expected, test) {
    const entry = { section: title, title: rowTitle, expected, observed: undefined };
    rows.push(entry);
    it(rowTitle, async function () {
      try {
        entry.observed = await test.call(this, this);
      } catch (err) {
        if (isPending(err)) entry.observed = `skipped: ${this.skipReason || 'not run'}`;
        else entry.observed = `FAILED: ${String(err && err.message).split('\n')[0]}`;
        throw err;
      }
    });
  };
}

function render() {
  const lines = [
    '# Reliability',
    '',
    'Written by the reliability suite (`npx mocha test/reliability`), from what each test observed',
    'against the sample Comet server, over real HTTP, inside a Node-RED runtime with the',
    "package's nodes: do not edit by hand. A run of only some of its tests leaves this file as it was.",
    '',
    'Every row also checks, unless it says otherwise: each msg has exactly one outcome (sent on',
    'once, or caught once by a Catch node with `msg.error`), `done` is called once per msg, no',
    'unhandled rejection or process warning, and after the flow is stopped no socket or timer',
    'is left (`process.getActiveResourcesInfo()`).',
  ];
  let current;
  for (const entry of rows) {
    if (entry.section !== current) {
      current = entry.section;
      lines.push('', `## ${current}`, '', '| row | expected | observed |', '|---|---|---|');
    }
    lines.push(`| ${cell(entry.title)} | ${cell(entry.expected)} | ${cell(entry.observed)} |`);
  }
  return `${lines.join('\n')}\n`;
}

// A root hook: runs once, after every file of the run.
after(function () {
  const complete = FILES.every((file) => declared.has(file)) && rows.every((entry) => entry.observed !== undefined);
  if (complete) fs.writeFileSync(DOC, render());
});

module.exports = { section };
