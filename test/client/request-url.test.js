'use strict';
// RequestUrl.under joins a plain path and query as text instead of going
// through the URL parser: it must give the very URL the parser and
// URLSearchParams would, to the byte, whatever the text holds.
const assert = require('node:assert/strict');
const { RequestUrl } = require('../../nodes/client/request-url');

/** What the client sent before RequestUrl: the parser, then each entry appended. */
function parsed(root, path, query) {
  const url = new URL(path, root);
  for (const [name, value] of Object.entries(query ?? {})) url.searchParams.append(name, value);
  return url;
}

const ROOTS = ['https://www.comet.com/api/rest/v2/', 'http://127.0.0.1:8088/comet/api/rest/v2/'];

const PATHS = [
  'experiment/metadata',
  'registry-model/details',
  'projects',
  "a-b_c~d!$&'()*+,;=:@/e",
  'registry-model/my%20model/versions',
  'name with spaces',
  'ümlaut/模型',
  'tab\there',
  'back\\slash',
  'caret^`{}|<>"',
  '',
];

const QUERIES = [
  undefined,
  {},
  { experimentKey: 'a1b2c3d4' },
  { workspace: 'ml-team', projectName: 'churn model' },
  { name: 'a&b=c', other: '100%', plus: '1+1', star: '*.-_' },
  { 'odd name': 'x', 'ü': '模型', empty: '', tilde: '~', slash: 'a/b', hash: '#frag', q: 'what?' },
];

describe('RequestUrl.under: the same URL as the URL parser', function () {
  for (const root of ROOTS) {
    for (const path of PATHS) {
      it(`${root} + ${JSON.stringify(path)}, with each query`, function () {
        for (const query of QUERIES) {
          const expected = parsed(new URL(root), path, query);
          const url = RequestUrl.under(new URL(root), path, query);
          const what = `query ${JSON.stringify(query)}`;
          assert.ok(url, `${what}: a relative path is under its root`);
          assert.equal(url.origin, expected.origin, what);
          assert.equal(url.path, expected.pathname + expected.search, what);
          assert.equal(url.url.href, expected.href, what);
        }
      });
    }
  }

});
