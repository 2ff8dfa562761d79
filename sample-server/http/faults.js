'use strict';
// The fault switches of the sample server: server.fault(match, spec) queues a
// fault, the first queued fault that matches a request applies to it (see
// README.md, Faults), and a fault with a status, a body or `html` answers in
// place of the endpoint.

const http = require('http');
const { cometErrorBody } = require('../routes');

const FAULT_KEYS = new Set(['times', 'status', 'headers', 'body', 'contentType', 'delayMs', 'reset', 'truncate', 'cutAfter', 'ranges', 'trickleMs', 'trickleBytes', 'html', 'hang']);
const REASONS = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable', 504: 'Gateway Time-out' };

/** The error page nginx answers with when the service behind it fails. */
function nginxPage(status) {
  const title = `${status} ${REASONS[status] || http.STATUS_CODES[status] || 'Error'}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

function validateFault(match, spec) {
  if (!(typeof match === 'string' || typeof match === 'function' || match instanceof RegExp)) {
    throw new TypeError('fault match must be an endpoint path (string), a RegExp or a function(req) => boolean');
  }
  const s = spec || {};
  for (const k of Object.keys(s)) if (!FAULT_KEYS.has(k)) throw new TypeError(`unknown fault option: ${k}`);
  if (s.reset !== undefined && s.reset !== 'before-headers' && s.reset !== 'mid-body') throw new TypeError("fault reset must be 'before-headers' or 'mid-body'");
  const times = s.times === undefined ? 1 : s.times;
  if (!(times === Infinity || (Number.isInteger(times) && times > 0))) throw new TypeError('fault times must be a positive integer or Infinity');
  return { match, spec: s, remaining: times };
}

function matches(match, req) {
  if (typeof match === 'function') return !!match(req);
  if (match instanceof RegExp) return match.test(req.path);
  return match === '*' || match === req.path;
}

/** The queue of faults: add(match, spec), take(view) (the spec for a request, {} when none), pending(), clear(). */
function createFaultQueue() {
  let faults = [];
  return {
    add(match, spec) {
      faults.push(validateFault(match, spec));
    },
    /** The spec of the first fault matching `view` ({ method, path, query }), used up once; {} when none matches. */
    take(view) {
      const i = faults.findIndex((f) => {
        try {
          return matches(f.match, view);
        } catch {
          return false;
        }
      });
      if (i < 0) return {};
      const f = faults[i];
      if (--f.remaining <= 0) faults.splice(i, 1);
      return f.spec;
    },
    pending() {
      return faults.map((f) => ({ ...f }));
    },
    clear() {
      faults = [];
    },
  };
}

/** Whether a fault answers in place of the endpoint. */
const answersItself = (spec) => spec.status !== undefined || spec.body !== undefined || spec.html;

/** The answer of a fault that answers in place of the endpoint: { status, headers, body }. */
function faultResult(spec) {
  const status = spec.status !== undefined ? spec.status : spec.html ? 502 : 200;
  let body = spec.body;
  let contentType = spec.contentType;
  if (body === undefined) {
    if (spec.html) body = nginxPage(status);
    else if (status >= 400) body = cometErrorBody(status, status === 429 ? 'Too many requests, slow down' : `Sample server fault: HTTP ${status}`);
    else body = '';
  }
  if (contentType === undefined) contentType = spec.html ? 'text/html' : Buffer.isBuffer(body) ? 'application/octet-stream' : 'application/json';
  const headers = {};
  if (contentType !== null) headers['Content-Type'] = contentType;
  return { status, headers, body };
}

module.exports = { createFaultQueue, answersItself, faultResult };
