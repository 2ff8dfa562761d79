'use strict';
// The storage origin stands for S3 behind a pre-signed URL: another origin, no
// Comet key wanted. It serves the assets the API redirects to (asset.redirect),
// checks their signature and answers S3's XML errors; storage.fault(spec)
// queues faults for it.

const crypto = require('crypto');
const { faultResult } = require('./faults');
const { send } = require('./send');

function storageResult(data, req, url) {
  const xml = (status, code, message) => ({
    status,
    headers: { 'Content-Type': 'application/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
  });
  const m = /^\/comet-assets\/([^/]+)\/([^/]+)\/[^/]+$/.exec(url.pathname);
  if (!m || (req.method !== 'GET' && req.method !== 'HEAD')) return xml(404, 'NoSuchKey', 'The specified key does not exist.');
  if (req.headers.authorization) return xml(400, 'InvalidArgument', 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified');
  const exp = data.experiments[decodeURIComponent(m[1])];
  const asset = exp && exp.assets.find((a) => a.assetId === decodeURIComponent(m[2]));
  const signature = asset && crypto.createHash('sha256').update(`${exp.experimentKey}/${asset.assetId}`).digest('hex');
  if (!asset) return xml(404, 'NoSuchKey', 'The specified key does not exist.');
  if (url.searchParams.get('X-Amz-Signature') !== signature) return xml(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
  return { status: 200, headers: { 'Content-Type': 'application/octet-stream' }, body: asset.content };
}

/** handle(req, res) of the storage origin of `data`; `traffic` logs its requests, `faults` is its fault queue. */
function createStorageHandler({ data, traffic, faults, life }) {
  return async function handle(req, res) {
    res.on('error', () => {});
    const url = new URL(req.url, 'http://127.0.0.1');
    const record = { method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: { ...req.headers }, at: Date.now() };
    traffic.log(record, res);
    req.resume();
    const spec = faults.take({ method: req.method, path: url.pathname, query: record.query });
    const result = spec.status !== undefined ? faultResult(spec) : storageResult(data, req, url);
    await send(req, res, result, spec, { life, stats: traffic });
  };
}

module.exports = { createStorageHandler };
