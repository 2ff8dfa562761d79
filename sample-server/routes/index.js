'use strict';
// The REST API v2 read endpoints of the sample server, one module per
// endpoint family, assembled here into one table of 'METHOD path' -> handler.
// Each handler gets a context { method, path, query, body, user, data,
// restRoot, storageUrl, signal } and returns a result { status, headers, body }
// (body: object -> JSON, string, Buffer) or { status, headers, stream:
// { length?, etag?, chunks() } } for large answers. Errors are thrown as ApiError
// (common.js) and rendered by ../http/answer.js as Comet's JSON error body.

const { ApiError, cometErrorBody } = require('./common');
const { TEMPLATE_DOWNLOAD, templateDownload } = require('./panels');

const FAMILIES = [
  require('./projects'),
  require('./query'),
  require('./experiments'),
  require('./chart'),
  require('./metrics'),
  require('./assets'),
  require('./registry'),
  require('./artifacts-webhooks'),
  require('./panels'),
];

const routes = {};
for (const family of FAMILIES) {
  for (const [key, handler] of Object.entries(family.routes)) {
    // Two families answering one endpoint would leave one of them silently unused.
    if (routes[key]) throw new Error(`sample server: route ${key} is defined twice`);
    routes[key] = handler;
  }
}

/** Finds the handler for a request: { handler } , { methods } (path known, other method) or null. */
function findRoute(method, path) {
  const m = method === 'HEAD' ? 'GET' : method;
  if (routes[`${m} ${path}`]) return { handler: routes[`${m} ${path}`] };
  const t = TEMPLATE_DOWNLOAD.exec(path);
  if (t) return m === 'GET' ? { handler: (ctx) => templateDownload(ctx, decodeURIComponent(t[1])) } : { methods: ['GET'] };
  const methods = ['GET', 'POST'].filter((x) => routes[`${x} ${path}`]);
  return methods.length ? { methods } : null;
}

module.exports = { findRoute, ApiError, cometErrorBody, routes };
