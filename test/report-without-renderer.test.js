'use strict';
// comet-report `format: email` where the PNG renderer cannot load, as on a
// platform @resvg/resvg-js has no build for: the package installed from its
// tarball with npm's --omit=optional (so the optional dependency is not
// there at all), in a real Node-RED process, mailing through
// node-red-node-email to a local SMTP server. Each report still goes out, as
// the table without charts; the node warns once, and nothing fails.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { PACKAGE, freePort, makeUserDir, installPackedPackage, writeSettings, startNodeRed } = require('../scripts/lib/node-red');
const { startMailServer, emailNodeSpec } = require('../scripts/lib/mail-server');
const { useSampleServer } = require('./helpers/sample-server');
const { churnTop5 } = require('./helpers/report');

const SAMPLE_KEY = 'sample-key';

function flowFor(sampleUrl, smtpPort) {
  return [
    { id: 'tab', type: 'tab', label: 'mail without charts' },
    { id: 'cfg', type: 'comet-config', name: 'sample', baseUrl: sampleUrl, workspace: 'ml-team', concurrency: '', timeout: '', retries: '' },
    { id: 'go', z: 'tab', type: 'inject', props: [{ p: 'payload' }], payload: '', payloadType: 'date', repeat: '', once: false, wires: [['report']] },
    { id: 'report', z: 'tab', server: 'cfg', name: 'churn report', ...churnTop5('email'), wires: [['mail']] },
    { id: 'mail', z: 'tab', type: 'e-mail', server: '127.0.0.1', port: String(smtpPort), secure: false, tls: false, authtype: 'NONE', name: 'ml-team@example.com', wires: [] },
  ];
}

describe('comet-report: e-mail where the PNG renderer is not installed', function () {
  this.timeout(180000);
  const ctx = useSampleServer();
  let userDir;
  let nodeRed;
  let mailServer;

  before(async () => {
    userDir = makeUserDir('node-red-comet-no-renderer-');
    installPackedPackage(userDir, [emailNodeSpec()], undefined, ['--omit=optional']);
    mailServer = await startMailServer();
    fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flowFor(ctx.server.url, mailServer.smtpPort)));
    const port = await freePort();
    writeSettings(userDir, port);
    nodeRed = await startNodeRed({ userDir, port, env: { COMET_API_KEY: SAMPLE_KEY } });
  });

  after(async () => {
    if (nodeRed) await nodeRed.stop();
    if (mailServer) await mailServer.close();
    if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
  });

  /** Presses the inject node's button, as the editor does, and resolves with the mail that arrives. */
  async function report() {
    const mail = mailServer.next();
    const res = await fetch(`${nodeRed.url}inject/go`, { method: 'POST' });
    assert.equal(res.status, 200);
    return (await mail).parsed;
  }

  it('the optional dependency is not installed: the premise of this test', function () {
    assert.equal(fs.existsSync(path.join(userDir, 'node_modules', '@resvg', 'resvg-js')), false);
    assert.ok(fs.existsSync(path.join(userDir, 'node_modules', ...PACKAGE.name.split('/'), 'resources', 'fonts', 'Roboto-Regular.ttf')));
  });

  it('each report goes out as the table without charts; the node warns once, and nothing fails', async function () {
    const first = await report();
    const second = await report();
    for (const mail of [first, second]) {
      assert.match(mail.subject, /^Comet report: ml-team\/churn, \d{4}-\d{2}-\d{2}$/);
      assert.equal((mail.html.match(/<tr>/g) || []).length, 2 + 1 + 5, 'two rows of layout, a heading row and 5 rows');
      assert.ok(!/<img|cid:|<svg|data:/.test(mail.html), 'no chart of any kind');
      assert.equal(mail.attachments.length, 0);
      assert.match(mail.text, /^ml-team\/churn: 5 of 6 experiments by val_loss:min, lowest first\n/);
      assert.ok(!mail.text.includes('Charts'));
    }
    const log = nodeRed.log().split('\n');
    const warnings = log.filter((line) => /\[warn\] \[comet-report:churn report\]/.test(line));
    assert.equal(warnings.length, 1, log.join('\n'));
    assert.match(warnings[0], /The e-mail goes without charts: the PNG renderer \(@resvg\/resvg-js, an optional dependency\) did not load on this platform \(Cannot find module '@resvg\/resvg-js'/);
    assert.deepEqual(log.filter((line) => /\[error\]/.test(line)), []);
  });
});
