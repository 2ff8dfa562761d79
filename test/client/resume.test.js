'use strict';
// Resumed downloads, as the client runs them: after a cut, the next attempt
// asks for the rest (Range, If-Range) from where the bytes came from, and
// the consumer appends; a whole answer instead (no ranges, a changed file)
// starts over; a resume that brings bytes spends no retry, up to a bound.
const assert = require('node:assert/strict');
const { ids } = require('../../sample-server/data');
const { bigModelZip } = require('../../sample-server/bigzip');
const { MAX_RESUMES, ResumePoint } = require('../../nodes/client/resume');
const { withClient, rejectionOf } = require('../helpers/client');
const { useSampleServer } = require('../helpers/sample-server');
const { SAMPLE_KEY } = require('../helpers/runtime');
const { SLACK, ranges, assertResumedEvery } = require('../helpers/ranges');

const KiB = 1024;
const SIZE = 1024 * KiB;
const REGISTRY = 'registry-model/item/download';
/** The storage host sends 8 KiB, in pieces the client reads as they come, then closes the connection. */
const STORAGE_CUT = { cutAfter: 8 * KiB, trickleMs: 10, trickleBytes: 2 * KiB };
const MODEL = { endpoint: REGISTRY, method: 'GET', path: REGISTRY, query: { workspaceName: 'ml-team', modelName: 'churn-model' } };
const LOGREG = ids.experiments['logreg-baseline'];
const REMOTE_ASSET = {
  endpoint: 'experiment/asset/get-asset',
  method: 'GET',
  path: 'experiment/asset/get-asset',
  query: { experimentKey: LOGREG, assetId: ids.remoteAssetId },
};

/** Downloads `call` into memory as the download node's buffer output does: appends a resumed body, starts over on a whole one. */
function download(client, call, resume = new ResumePoint()) {
  let chunks = [];
  const consume = async (answer) => {
    if (!answer.offset) {
      chunks = [];
      resume.kept = 0;
    }
    for await (const chunk of answer.body) {
      chunks.push(chunk);
      resume.kept += chunk.length;
    }
    return Buffer.concat(chunks);
  };
  return client.send(call, consume, { timeout: 'idle', accept: '*/*', resume });
}

describe('client: resumed downloads', function () {
  const ctx = useSampleServer({ downloadSize: SIZE });
  let server, expected;
  before(async () => {
    const zip = await bigModelZip(SIZE);
    expected = Buffer.concat([...zip.chunks()]);
  });
  beforeEach(() => ({ server } = ctx));

  it('a cut is followed by a request for the rest, If-Range naming the version, and the bytes are whole; no retry spent', async function () {
    server.fault(REGISTRY, { cutAfter: 256 * KiB, times: Infinity });
    const resume = new ResumePoint();
    const bytes = await withClient(server, { retries: 0 }, (client) => download(client, MODEL, resume));
    assert.ok(bytes.equals(expected));
    assertResumedEvery(server.requests, 256 * KiB, SIZE);
    assert.ok(server.requests.slice(1).every((r) => r.headers['if-range'] === `"bigzip-${SIZE}"`));
    assert.equal(resume.resumes, server.requests.length - 1);
    assert.ok(server.bytesSent <= SIZE + resume.resumes * SLACK, `${server.bytesSent} bytes sent for ${SIZE}`);
  });

  it('a server that takes no ranges: a cut is a retry from the start, spent from the budget', async function () {
    server.fault(REGISTRY, { cutAfter: 256 * KiB, ranges: false });
    server.fault(REGISTRY, { ranges: false });
    const bytes = await withClient(server, { retries: 1 }, (client) => download(client, MODEL));
    assert.ok(bytes.equals(expected));
    assert.deepEqual(ranges(server.requests), [
      [undefined, 200],
      [undefined, 200],
    ]);
    assert.equal(server.requests[0].headers['if-range'], undefined);
  });

  it('no ranges and a cut every time: fails with a network error once the retries are spent', async function () {
    server.fault(REGISTRY, { cutAfter: 256 * KiB, ranges: false, times: Infinity });
    const err = await withClient(server, { retries: 2 }, (client) => rejectionOf(download(client, MODEL)));
    assert.equal(err.code, 'COMET_NETWORK');
    assert.equal(server.requests.length, 3);
  });

  it('a file that changed since the cut (If-Range no longer matches) comes back whole, and the bytes start over', async function () {
    server.fault(REGISTRY, { cutAfter: 256 * KiB });
    server.fault(REGISTRY, { headers: { ETag: '"a-new-version"' } });
    const bytes = await withClient(server, { retries: 0 }, (client) => download(client, MODEL));
    assert.ok(bytes.equals(expected), 'the whole new answer, nothing of the old one before it');
    const [first, second, ...more] = ranges(server.requests);
    assert.deepEqual([first, second[1], more], [[undefined, 200], 200, []]);
    assert.ok(second[0] > 0, 'the second asked for the rest');
  });

  it(`resumes spend no retry only while each brings bytes, and at most ${MAX_RESUMES} times`, async function () {
    server.fault(REGISTRY, { cutAfter: 4 * KiB, times: Infinity });
    const resume = new ResumePoint();
    const err = await withClient(server, { retries: 0 }, (client) => rejectionOf(download(client, MODEL, resume)));
    assert.equal(err.code, 'COMET_NETWORK');
    assert.equal(resume.resumes, MAX_RESUMES);
    assert.equal(server.requests.length, MAX_RESUMES + 1);
  });

  it('a 206 that is not the rest asked for is not spliced in: the next attempt asks for the whole file', async function () {
    server.fault(REGISTRY, { cutAfter: 256 * KiB });
    server.fault(REGISTRY, { status: 206, headers: { 'Content-Range': `bytes 0-9/${SIZE}` }, body: Buffer.alloc(10) });
    const bytes = await withClient(server, { retries: 1 }, (client) => download(client, MODEL));
    assert.ok(bytes.equals(expected));
    const seen = ranges(server.requests);
    assert.deepEqual([seen[0], seen[1][1], seen[2], seen.length], [[undefined, 200], 206, [undefined, 200], 3]);
  });

  it('after a redirect to storage, the rest is asked of the storage URL, without the Comet key', async function () {
    const asset = server.data.experiments[LOGREG].assets.find((a) => a.assetId === ids.remoteAssetId);
    server.storage.fault(STORAGE_CUT);
    const bytes = await withClient(server, { retries: 0 }, (client) => download(client, REMOTE_ASSET));
    assert.ok(bytes.equals(asset.content));
    assert.equal(server.requests.length, 1, 'Comet was asked once');
    const [first, rest, ...more] = ranges(server.storage.requests);
    assert.deepEqual([first, rest[1], more], [[undefined, 200], 206, []]);
    assert.ok(rest[0] > 0 && rest[0] <= 8 * KiB, `resumed from ${rest[0]}`);
    const resumed = server.storage.requests[1];
    assert.equal(resumed.headers.authorization, undefined);
    assert.ok(!JSON.stringify(resumed).includes(SAMPLE_KEY));
    assert.equal(resumed.path, server.storage.requests[0].path);
  });

  it('a storage link refused on resume (expired) is asked for again through Comet, still for the rest', async function () {
    const asset = server.data.experiments[LOGREG].assets.find((a) => a.assetId === ids.remoteAssetId);
    server.storage.fault(STORAGE_CUT);
    server.storage.fault({ status: 403 });
    const bytes = await withClient(server, { retries: 1 }, (client) => download(client, REMOTE_ASSET));
    assert.ok(bytes.equals(asset.content));
    const [first, refused, resumed] = ranges(server.storage.requests);
    assert.deepEqual([first, refused[1], resumed[1], server.storage.requests.length], [[undefined, 200], 403, 206, 3]);
    assert.ok(refused[0] > 0 && resumed[0] === refused[0], 'the rest, asked for again from the same byte');
    assert.equal(server.requests.length, 2);
    assert.equal(server.requests[1].headers.range, `bytes=${refused[0]}-`, 'Comet gets the range too, for a server that serves the file itself');
    assert.ok(server.storage.requests.every((r) => r.headers.authorization === undefined));
  });
});
