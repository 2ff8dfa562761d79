'use strict';
// What every endpoint family of the sample server shares: the error a handler
// throws (ApiError, rendered by ../http/answer.js as Comet's JSON error body), the two
// kinds of answer (JSON, raw bytes), and the lookups of the query parameters
// most endpoints start with, which throw the errors Comet answers for them.

class ApiError extends Error {
  constructor(status, msg, sdkErrorCode = 0) {
    super(msg);
    this.status = status;
    this.sdkErrorCode = sdkErrorCode;
  }
}

const JSON_TYPE = 'application/json';
const OCTET = 'application/octet-stream';

function cometErrorBody(status, msg, sdkErrorCode = 0) {
  return { msg, code: status, data: null, sdk_error_code: sdkErrorCode };
}

function json(body, status = 200) {
  return { status, headers: { 'Content-Type': JSON_TYPE }, body };
}

function raw(buffer, filename) {
  const headers = { 'Content-Type': OCTET };
  if (filename) headers['Content-Disposition'] = `attachment; filename="${filename.replace(/["\\]/g, '_')}"`;
  return { status: 200, headers, body: buffer };
}

function need(ctx, name, sdkErrorCode = 0) {
  const v = ctx.query[name];
  if (v === undefined || v === '') throw new ApiError(400, `Missing required query parameter: ${name}`, sdkErrorCode);
  return v;
}

function flag(v) {
  return v === true || v === 'true' || v === '1';
}

/** The body of a POST endpoint, which must be a JSON object. */
function objectBody(ctx) {
  const body = ctx.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'Request body must be a JSON object');
  return body;
}

// ---------------------------------------------------------------------------
// lookups that throw Comet-like errors

function knownWorkspace(ctx, ws) {
  if (!ctx.data.workspaces.includes(ws)) throw new ApiError(400, `Team with name ${ws} does not exist`, 90219);
  return ws;
}

function workspace(ctx, name = 'workspaceName') {
  return knownWorkspace(ctx, need(ctx, name));
}

/** A project by projectId, or by projectName + workspaceName, from the query or (POST) the body. */
function project(ctx, src = ctx.query) {
  let p;
  if (src.projectId) {
    p = ctx.data.findProject({ projectId: src.projectId });
  } else if (src.projectName && src.workspaceName) {
    knownWorkspace(ctx, src.workspaceName);
    p = ctx.data.findProject({ projectName: src.projectName, workspaceName: src.workspaceName });
  } else {
    throw new ApiError(400, 'Missing required parameter: projectId, or projectName and workspaceName');
  }
  if (!p) throw new ApiError(404, 'Project not found');
  return p;
}

function experiment(ctx) {
  const key = need(ctx, 'experimentKey', 90998);
  const exp = ctx.data.experiments[key];
  if (!exp) throw new ApiError(404, 'Experiment not found');
  return exp;
}

module.exports = {
  ApiError, JSON_TYPE, OCTET, cometErrorBody, json, raw, need, flag, objectBody, workspace, project, experiment,
};
