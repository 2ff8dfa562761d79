'use strict';
// The answer of an endpoint, as the sample server gives it when no fault
// answers instead: the root page, then the route, the API key, the method and
// the body checked in Comet's order, then the route's handler.

const { findRoute, ApiError, cometErrorBody } = require('../routes');

const jsonError = (status, msg, sdkErrorCode, headers) => ({ status, headers: { 'Content-Type': 'application/json', ...headers }, body: cometErrorBody(status, msg, sdkErrorCode) });

/** The user of an Authorization header: the key itself or, for `key*base64json`, the part before `*`. */
function lookupKey(apiKeys, header) {
  if (typeof header !== 'string' || !header) return null;
  if (Object.prototype.hasOwnProperty.call(apiKeys, header)) return apiKeys[header];
  const star = header.indexOf('*');
  if (star > 0) {
    const short = header.slice(0, star);
    if (Object.prototype.hasOwnProperty.call(apiKeys, short)) return apiKeys[short];
  }
  return null;
}

/**
 * answer(ctx, req, inRoot, bodyError) -> { status, headers, body | stream } for a
 * request `ctx` ({ method, path, query, body }). `urls.restRoot` and `urls.storageUrl`
 * are filled in once the servers listen.
 */
function createEndpointAnswer({ pathPrefix, apiKeys, data, life, urls }) {
  return async function answer(ctx, req, inRoot, bodyError) {
    if (!inRoot) {
      if (ctx.path === '/' || ctx.path === pathPrefix || ctx.path === pathPrefix + '/') {
        return { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: `Comet sample server. REST root: ${urls.restRoot}\n` };
      }
      return jsonError(404, `Not found: ${ctx.path}`);
    }
    const route = findRoute(ctx.method, ctx.path);
    if (!route) return jsonError(404, `Unknown endpoint: ${ctx.path}`);
    const user = lookupKey(apiKeys, req.headers.authorization);
    if (!user) return jsonError(401, 'Invalid API key', 90212);
    if (!route.handler) return jsonError(405, `Method ${ctx.method} not allowed on ${ctx.path}`, 0, { Allow: route.methods.join(', ') });
    if (ctx.method === 'POST' && bodyError) return jsonError(400, 'Malformed JSON body');
    try {
      return await route.handler({ ...ctx, user, data, restRoot: urls.restRoot, storageUrl: urls.storageUrl, signal: life.signal });
    } catch (err) {
      if (err instanceof ApiError) return jsonError(err.status, err.message, err.sdkErrorCode);
      return jsonError(500, `Sample server error: ${err && err.message}`);
    }
  };
}

module.exports = { createEndpointAnswer };
