'use strict';
// The reliability matrix of docs/reliability.md. Each reliability test is a
// row: it states what should happen and returns what it saw. When every
// file of test/reliability/ has run all its rows, zz-document.test.js renders
// the table from those observations into .tmp/ (never into the tree: a test
// run must not edit tracked files) and fails when the committed document says
// something else; scripts/reliability-doc.js is what rewrites the document.
// A partial run (one file, --grep) renders nothing and checks nothing.
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const DOC = path.join(ROOT, 'docs', 'reliability.md');
/**
 * Set by scripts/reliability-doc.js: the file it reads the rendering from
 * (and then writes or compares the document itself).
 */
const SCRIPT_OUT = process.env.COMET_RELIABILITY_DOC_SCRIPT_OUT || '';
/** Where a whole run renders the document. */
const RENDERED = SCRIPT_OUT || path.join(ROOT, '.tmp', 'reliability.md');
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

/** Declares a file of the suite that has no rows (the document check), so a run without it is partial. */
function declare(file) {
  declared.add(path.basename(file));
}

/** Has every file of test/reliability/ been loaded and every row run? */
function complete() {
  return FILES.every((file) => declared.has(file)) && rows.every((entry) => entry.observed !== undefined);
}

function render() {
  const lines = [
    '# Reliability',
    '',
    'Written by `npm run docs:reliability` (scripts/reliability-doc.js), which runs the reliability',
    'suite (`npx mocha test/reliability`) and records what each test observed against the sample',
    "Comet server, over real HTTP, inside a Node-RED runtime with the package's nodes: do not edit",
    'by hand. The suite itself never writes here: a run of all of it renders this document to',
    '`.tmp/reliability.md` and fails when this file says something else;',
    '`npm run docs:reliability -- --check` says what differs.',
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

/** Writes the rendered document to RENDERED and returns it. */
function writeRendered() {
  const text = render();
  fs.mkdirSync(path.dirname(RENDERED), { recursive: true });
  fs.writeFileSync(RENDERED, text);
  return text;
}

/**
 * What differs between two versions of the document, for a person: each
 * changed run of lines with its line number and the section it is in (`-`
 * the committed text, `+` this run's), or '' when they are the same.
 */
function differences(committed, rendered) {
  if (committed === rendered) return '';
  const a = committed.split('\n');
  const b = rendered.split('\n');
  // Longest common subsequence of lines, from the end, so the walk below goes forwards.
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint16Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const out = [];
  let heading = '(header)';
  let hunk = null;
  const note = (sign, line, at) => {
    if (!hunk) {
      hunk = [`line ${at + 1}, in ${heading}:`];
      out.push(hunk);
    }
    hunk.push(`${sign} ${line}`);
  };
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      if (a[i].startsWith('## ')) heading = a[i].slice(3);
      hunk = null;
      i++;
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
      note('-', a[i], i);
      i++;
    } else {
      note('+', b[j], i);
      j++;
    }
  }
  return out.map((h) => h.join('\n')).join('\n\n');
}

module.exports = { section, declare, complete, writeRendered, differences, DOC, RENDERED, SCRIPT_OUT, FILES };
