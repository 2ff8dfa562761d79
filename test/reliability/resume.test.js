'use strict';
// A big model over a flaky link: a 1 GiB zip whose connection the server
// cuts after every 100 MiB. With ranges the download picks up where it was
// cut; without, it starts over within the retry budget; a redeploy in the
// middle of a resume removes the temporary file.
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { bigModelZip } = require('../../sample-server/bigzip');
const { SAMPLE_KEY, configNode } = require('../helpers/runtime');
const { flowAround, recordOutcomes } = require('../helpers/outcomes');
const { useSampleServer } = require('../helpers/sample-server');
const { useRig, recordNumbers } = require('./rig');
const { section } = require('./matrix');

const row = section(__filename, 'Resumed downloads (1 GiB over a connection cut every 100 MiB)');

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const CUT = 100 * MiB;
const REGISTRY = 'registry-model/item/download';
const download = { type: 'comet-download-model', operation: 'registryModel', output: 'file' };
const PART = /\.comet-download-[0-9a-f]+\.part$/;

async function sha256Of(chunks) {
  const hash = crypto.createHash('sha256');
  for await (const chunk of chunks) hash.update(chunk);
  return hash.digest('hex');
}

describe('reliability: resumed downloads', function () {
  this.timeout(300_000);
  const rig = useRig();
  const ctx = useSampleServer({ downloadSize: GiB });
  let server, dir, expected;
  before(async function () {
    expected = await sha256Of((await bigModelZip(GiB)).chunks());
  });
  beforeEach(function () {
    server = ctx.server;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comet-resume-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Deploys the download node (`config`: configNode's options) and sends one msg; resolves with its outcome. */
  async function oneDownload(config) {
    await rig.deploy(flowAround({ ...download, path: path.join(dir, 'model.zip') }, [configNode(server, config)]), { cfg: { apiKey: SAMPLE_KEY } });
    const outcomes = recordOutcomes();
    const started = Date.now();
    outcomes.inject(1, () => ({ modelName: 'churn-model' }));
    await outcomes.settled(1, 240_000);
    assert.deepEqual(outcomes.problems(1), []);
    return { sent: outcomes.sent[0], error: outcomes.caught[0] && outcomes.caught[0].error, seconds: (Date.now() - started) / 1000 };
  }

  row(
    'the server takes ranges (file output, retries: 0)',
    'after each cut the next request asks for the rest (Range: bytes=N-, If-Range) and appends: completes with at most 1.15 × 1 GiB sent by the server, no retry spent; the file is intact',
    async () => {
      server.fault(REGISTRY, { cutAfter: CUT, times: Infinity });
      const { sent, error, seconds } = await oneDownload({ retries: 0 });
      assert.ok(sent, error && error.message);
      const file = path.join(dir, 'model.zip');
      assert.equal(fs.statSync(file).size, GiB);
      assert.equal(await sha256Of(fs.createReadStream(file, { highWaterMark: 4 * MiB })), expected);
      const ratio = server.bytesSent / GiB;
      assert.ok(ratio <= 1.15, `the server sent ${ratio.toFixed(3)} × the size`);
      const [first, ...rest] = server.requests;
      assert.equal(first.headers.range, undefined);
      assert.ok(rest.length >= 10 && rest.length <= 20, `${rest.length} resumes`);
      assert.ok(rest.every((r) => /^bytes=\d+-$/.test(r.headers.range) && r.headers['if-range'] === `"bigzip-${GiB}"` && r.status === 206));
      assert.deepEqual(fs.readdirSync(dir), ['model.zip'], 'no temporary file is left');
      await rig.finish([server]);
      recordNumbers('reliability-limits.json', 'resume-1gib-cut-every-100mib', { seconds, requests: server.requests.length, bytesSent: server.bytesSent, ratio });
      return "completed: one whole request, then only requests for the rest (206, If-Range the zip's ETag), at most 20; the server sent ≤ 1.15 × 1 GiB (numbers: bench/.out/reliability-limits.json); the file is 1 GiB and its SHA-256 is the zip's; no temporary file left";
    },
  );

  row(
    'the server takes no ranges (retries: 3)',
    'each cut starts the download over: it fails cleanly once the retry budget is spent (4 attempts of 100 MiB), no file and no temporary file left',
    async () => {
      server.fault(REGISTRY, { cutAfter: CUT, ranges: false, times: Infinity });
      const { error } = await oneDownload({ retries: 3 });
      assert.ok(error, 'the msg fails');
      assert.equal(error.code, 'COMET_NETWORK');
      assert.equal(server.requests.length, 4);
      assert.ok(server.requests.every((r) => r.headers.range === undefined && r.status === 200));
      assert.deepEqual(fs.readdirSync(dir), []);
      await rig.finish([server]);
      return `caught ${error.code}: "${error.message}"; 4 requests, none for a range; the server sent ${server.bytesSent / MiB} MiB; nothing left in the folder`;
    },
  );

  row(
    'redeploy while a resumed request is under way',
    'the download is abandoned and its temporary file removed before the close completes; nothing sent; one summary log line',
    async () => {
      server.fault(REGISTRY, { cutAfter: CUT, times: Infinity });
      let partSeen = false;
      const { warning, out } = await rig.redeployDuring(server, { ...download, path: path.join(dir, 'model.zip') }, {
        config: { retries: 0 },
        count: 1,
        make: () => ({ modelName: 'churn-model' }),
        ready: () => server.requests.length === 2 && (partSeen = fs.readdirSync(dir).some((f) => PART.test(f))),
        what: 'the first resume under way, its temporary file on disk',
        closed: () => assert.deepEqual(fs.readdirSync(dir), [], 'no temporary file once the close is over'),
        fresh: false,
      });
      assert.ok(partSeen);
      assert.equal(out, 0);
      return `0 sent, 0 caught, done once; the temporary file was there during the resume and is gone after the close; log: "${warning.msg}"`;
    },
  );
});
