'use strict';
// The catalogue against the two documents it implements: Comet's own list of
// read endpoints (every one reachable, nothing invented, every documented
// parameter known) and the public contract (node types, operation values,
// endpoints and msg input names).
const assert = require('node:assert/strict');
const { CATALOGUE } = require('../nodes/catalogue/catalogue');
const { wireName, placeOf } = require('../nodes/catalogue/call');
const { sharedDocument, contractNodes } = require('./helpers/contract');

const LISTED = require('../package.json')['node-red'].nodes;

/** Every catalogue entry as { type, operation, endpoint }. */
const entries = Object.entries(CATALOGUE).flatMap(([type, { operations }]) =>
  Object.entries(operations).map(([operation, endpoint]) => ({ type, operation, endpoint })),
);

/**
 * The endpoint lines of read-endpoints.txt (`GET/api/rest/v2/path?a=X&b=Y`),
 * each with its query parameter names and, for a POST, the fields of its
 * example request body.
 */
function documentedEndpoints(text) {
  const lines = text.split('\n');
  const endpoints = [];
  lines.forEach((line, index) => {
    const match = /^(GET|POST)\/api\/rest\/v2\/(.+)$/.exec(line.trim());
    if (!match) return;
    // The page renders "&order=" as the entity "ℴ" and writes one "&" as ",".
    const [route, queryText = ''] = match[2].replace(/ℴ/g, '&order').split('?');
    const query = queryText
      .split(/[&,]/)
      .filter(Boolean)
      .map((pair) => pair.split('=')[0]);
    endpoints.push({ line: line.trim(), method: match[1], path: route, query, body: match[1] === 'POST' ? exampleRequestFields(lines, index) : [] });
  });
  return endpoints;
}

/** The top-level fields of the "Example Request" JSON that follows line `from`. */
function exampleRequestFields(lines, from) {
  const start = lines.findIndex((line, i) => i > from && line.trim() === 'Example Request');
  const end = lines.findIndex((line, i) => i > start && line.trim() === 'Example Response');
  assert.ok(start > from && end > start, `no example request after line ${from + 1}`);
  return Object.keys(JSON.parse(lines.slice(start + 1, end).join('\n')));
}

/**
 * Query parameters the page lists that are not parameters: account-details
 * shows the fields of its answer after the "?" (Comet reads the user from the key).
 */
const NOT_PARAMETERS = { 'account-details': ['userName', 'defaultWorkspaceName'] };

describe('catalogue and read-endpoints.txt', function () {
  const documented = documentedEndpoints(sharedDocument('comet-api/read-endpoints.txt'));
  const sameEndpoint = (doc, endpoint) => doc.method === endpoint.method && doc.path === endpoint.path;

  it('finds the endpoint lines of the page', function () {
    assert.ok(documented.length >= 50, `only ${documented.length} lines found`);
  });

  for (const doc of documented) {
    it(`${doc.line} is reachable from a node`, function () {
      const matching = entries.filter(({ endpoint }) => sameEndpoint(doc, endpoint));
      assert.ok(matching.length > 0, 'no catalogue entry has this method and path');
      const known = new Set(matching.flatMap(({ endpoint }) => endpoint.params.map(wireName)));
      const sent = doc.query.filter((name) => !(NOT_PARAMETERS[doc.path] || []).includes(name));
      assert.deepEqual(sent.filter((name) => !known.has(name)), [], 'query parameters no node can send');
      assert.deepEqual(doc.body.filter((name) => !known.has(name)), [], 'body fields no node can send');
    });
  }

  for (const { type, operation, endpoint } of entries) {
    it(`${type} ${operation} (${endpoint.method} ${endpoint.path}) is on the page`, function () {
      assert.ok(documented.some((doc) => sameEndpoint(doc, endpoint)));
    });
  }

  it('every parameter goes where the page puts it: query for GET, body for POST, path for {name}', function () {
    for (const { type, operation, endpoint } of entries) {
      for (const param of endpoint.params) {
        const where = endpoint.path.includes(`{${param.name}}`) ? 'path' : endpoint.method === 'POST' ? 'body' : 'query';
        assert.equal(placeOf(param, endpoint), where, `${type} ${operation} ${param.name}`);
      }
    }
  });
});

describe('catalogue and the contract (spec/nodes.md)', function () {
  const text = sharedDocument('spec/nodes.md');
  const contract = contractNodes(text);
  // The contract also describes nodes that are not built yet. The nodes the
  // package registers (package.json's node-red.nodes) are checked against it:
  // one the contract lacks fails, and so does a contract operation table that a
  // registered node lacks; contract nodes not in package.json yet are left to
  // the issues that build them.
  const registered = Object.keys(LISTED);

  it('finds the contract nodes', function () {
    assert.ok(Object.keys(contract).length >= 12);
  });

  it('has a section for every node type package.json registers', function () {
    const sections = new Set([...text.matchAll(/^## (comet-[\w-]+)/gm)].map((match) => match[1]));
    assert.deepEqual(registered.filter((type) => !sections.has(type)), []);
  });

  it('has a catalogue entry for every registered contract node with operations, and no other', function () {
    const withOperations = registered.filter((type) => contract[type] && Object.keys(contract[type].operations).length);
    assert.deepEqual(Object.keys(CATALOGUE).sort(), withOperations.sort());
  });

  for (const type of Object.keys(CATALOGUE)) {
    it(`${type}: the contract's operation values, endpoints and msg input names`, function () {
      const promised = contract[type].operations;
      const { operations } = CATALOGUE[type];
      assert.deepEqual(Object.keys(operations), Object.keys(promised));
      for (const [operation, endpoint] of Object.entries(operations)) {
        assert.deepEqual([endpoint.method, endpoint.path], [promised[operation].method, promised[operation].path], operation);
        for (const param of endpoint.params) {
          assert.match(promised[operation].inputs, new RegExp(`\\b${param.name}\\b`), `${operation}: the contract names no msg input ${param.name}`);
        }
      }
    });
  }
});
