#!/usr/bin/env node
// Writes the HTML of every catalogue node and watch node (nodes/<type>.html): its
// registerType definition written out literally, with the defaults
// resources/comet-editor.js computes from the catalogue, and its dialog
// (scripts/lib/editor-html.js). Every message key the dialog (its row tags
// expanded as the editor script expands them) and the node's labels use must
// be in the locale files. The config node, comet-request and the webhook keep
// hand-written HTML.
// Run by `npm run build` after both compilations; `--check` writes nothing
// and exits 1 naming each file that differs from what it would write.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { catalogueNodeHtml, watchNodeHtml, WATCHES, GENERATED } = require('./lib/editor-html');

const ROOT = path.join(__dirname, '..');
const { editorCatalogue } = require('./lib/editor-catalogue');

/** The endpoint catalogue's nodes, and comet-report (its inputs as one operation). */
const CATALOGUE = editorCatalogue();
const NODES = path.join(ROOT, 'nodes');
const LOCALES = path.join(NODES, 'locales', 'en-US');
const EDITOR_SCRIPT = path.join(ROOT, 'resources', 'comet-editor.js');
const SHARED = '@flowml/node-red-comet/comet-config:';

/** The compiled editor script's CometEditor, run against the catalogue as the browser would. */
function cometEditor(catalogue) {
  const browser = { CometCatalogue: catalogue };
  browser.window = browser;
  vm.createContext(browser);
  vm.runInContext(fs.readFileSync(EDITOR_SCRIPT, 'utf8'), browser, { filename: EDITOR_SCRIPT });
  return browser.CometEditor;
}

function catalogOf(type) {
  return JSON.parse(fs.readFileSync(path.join(LOCALES, `${type}.json`), 'utf8'));
}

/** The message `key` (`module/catalog:a.b` or `a.b` of the node's own catalog), or undefined. */
function message(type, key) {
  const shared = key.startsWith(SHARED);
  const parts = (shared ? key.slice(SHARED.length) : key).split('.');
  return parts.reduce((at, part) => (at && typeof at === 'object' ? at[part] : undefined), catalogOf(shared ? 'comet-config' : type));
}

/** The message keys a node's HTML uses (in its dialog, row tags expanded) that the locale files lack; a catalogue node's labels too. */
function missingMessages(editor, type, html) {
  const expanded = editor.expandTags(html, type, /\bcategory:\s*'config'/.test(html));
  const keys = [...expanded.matchAll(/data-i18n="(?:\[placeholder\])?([^"]+)"/g)].map((m) => m[1]);
  const operations = CATALOGUE[type] ? CATALOGUE[type].operations : {};
  if (CATALOGUE[type]) keys.push(`${type}.paletteLabel`, `${SHARED}common.label.operation`);
  for (const [operation, endpoint] of Object.entries(operations)) {
    const fields = [...endpoint.params, ...(endpoint.options || [])];
    keys.push(`${type}.operations.${operation}`, ...fields.map((p) => `${SHARED}params.${p.name}`));
  }
  return [...new Set(keys)].filter((key) => typeof message(type, key) !== 'string');
}

/** { file: text } of every catalogue node's and watch node's HTML; throws when a message is missing. */
function render() {
  const editor = cometEditor(CATALOGUE);
  const pages = [
    ...Object.keys(CATALOGUE).map((type) => [type, catalogueNodeHtml(type, editor.defaults(type))]),
    ...Object.keys(WATCHES).map((type) => [type, watchNodeHtml(type)]),
  ];
  const files = {};
  for (const [type, html] of pages) {
    const missing = missingMessages(editor, type, html);
    if (missing.length) throw new Error(`${type}: no message in nodes/locales/en-US/ for ${missing.join(', ')}`);
    files[path.join(NODES, `${type}.html`)] = html;
  }
  return files;
}

/** Files this script wrote once for a node the catalogue no longer has. */
function orphans(files) {
  return fs
    .readdirSync(NODES)
    .filter((name) => name.endsWith('.html'))
    .map((name) => path.join(NODES, name))
    .filter((file) => !(file in files) && fs.readFileSync(file, 'utf8').startsWith(GENERATED));
}

/** The files whose committed text is not what render() gives: [relative path, why]. */
function stale(files) {
  const problems = Object.entries(files)
    .filter(([file, text]) => !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text)
    .map(([file]) => [path.relative(ROOT, file), 'differs from what the catalogue gives']);
  return problems.concat(orphans(files).map((file) => [path.relative(ROOT, file), 'is for a node the catalogue no longer has']));
}

function main() {
  const files = render();
  if (process.argv.includes('--check')) {
    const problems = stale(files);
    for (const [file, why] of problems) console.error(`${file} ${why}: run \`npm run build\` (scripts/build-editor.js) and commit it.`);
    process.exit(problems.length ? 1 : 0);
  }
  for (const [file, text] of Object.entries(files)) {
    if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) fs.writeFileSync(file, text);
  }
  for (const file of orphans(files)) fs.rmSync(file);
}

if (require.main === module) main();

module.exports = { render, stale, missingMessages, cometEditor };
