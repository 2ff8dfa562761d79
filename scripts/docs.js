#!/usr/bin/env node
// Writes the README's table of nodes and operations from the endpoint
// catalogue, so the docs cannot drift from what the nodes call.
// `node scripts/docs.js` rewrites README.md; `--check` only reports staleness.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const readmePath = path.join(root, 'README.md');
const { CATALOGUE } = require(path.join(root, 'nodes', 'catalogue', 'catalogue.js'));

function paletteLabel(type) {
  const file = path.join(root, 'nodes', 'locales', 'en-US', `${type}.json`);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8'))[type].paletteLabel : type;
}

/** `experimentKey, assetType?` or `projectId | projectName + workspace, filter | predicates, archived?` */
function inputsOf(endpoint) {
  const grouped = new Set([...(endpoint.oneOf || []).flat(), ...(endpoint.anyOf || [])]);
  const parts = [];
  if (endpoint.oneOf) parts.push(endpoint.oneOf.map((group) => group.join(' + ')).join(' \\| '));
  // One of these, at the place of the first that is a parameter (a filter is an option, compiled into predicates).
  const anyOf = endpoint.anyOf ? endpoint.anyOf.join(' \\| ') : undefined;
  for (const param of endpoint.params) {
    if (anyOf && endpoint.anyOf.includes(param.name) && !parts.includes(anyOf)) parts.push(anyOf);
    if (!grouped.has(param.name)) parts.push(param.required ? param.name : `${param.name}?`);
  }
  return parts.join(', ');
}

function nodesTable() {
  return Object.entries(CATALOGUE)
    .map(([type, spec]) => {
      const ops = Object.entries(spec.operations)
        .map(([op, endpoint]) => {
          const inputs = inputsOf(endpoint);
          return `\`${op}\`: ${endpoint.method === 'POST' ? 'POST ' : ''}\`${endpoint.path}\`${inputs ? ` (${inputs})` : ''}`;
        })
        .join('<br>');
      return `| \`${type}\` (${paletteLabel(type)}) | ${ops} |`;
    })
    .join('\n');
}

const START = '<!-- nodes-table -->';
const END = '<!-- /nodes-table -->';

function render(readme) {
  const from = readme.indexOf(START);
  if (from < 0) throw new Error(`README.md has no ${START} marker`);
  const to = readme.indexOf(END, from);
  const tail = to < 0 ? readme.slice(from + START.length) : readme.slice(to + END.length);
  return `${readme.slice(0, from)}${START}\n${nodesTable()}\n${END}${tail}`;
}

const readme = fs.readFileSync(readmePath, 'utf8');
const fresh = render(readme);
if (process.argv.includes('--check')) {
  if (fresh !== readme) {
    console.error('README.md is out of date with the catalogue: run `node scripts/docs.js`.');
    process.exit(1);
  }
} else if (fresh !== readme) {
  fs.writeFileSync(readmePath, fresh);
}
