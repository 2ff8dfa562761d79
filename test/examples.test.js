'use strict';
// Every flow of examples/ loads with its config node pointed at the sample
// server and, fired from each of its inject nodes, brings a msg to a debug
// node with nothing reaching a Catch node. An example of a node type
// package.json does not list fails: its node does not load.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { helper, SAMPLE_KEY, load, useNodeRed } = require('./helpers/runtime');
const { useSampleServer } = require('./helpers/sample-server');
const { ids } = require('../sample-server/data');
const { readExamples } = require('../scripts/lib/examples');
const { startMailServer, toLocalMail } = require('../scripts/lib/mail-server');

const LISTED = require('../package.json')['node-red'].nodes;

/** The core nodes examples use, by type: file under @node-red/nodes/core/ of the Node-RED under test. */
const CORE_FILES = {
  inject: 'common/20-inject.js',
  debug: 'common/21-debug.js',
  comment: 'common/90-comment.js',
  // The test helper loads its own Catch node whenever a flow has one.
  catch: null,
  'link in': 'common/60-link.js',
  'link out': 'common/60-link.js',
  change: 'function/15-change.js',
  switch: 'function/10-switch.js',
  function: 'function/10-function.js',
  template: 'function/80-template.js',
  delay: 'function/89-delay.js',
  split: 'sequence/17-split.js',
  join: 'sequence/17-split.js',
  file: 'storage/10-file.js',
  'http request': 'network/21-httprequest.js',
};
/** Node types of other packages the examples use (a devDependency each), by type: their file. */
const OTHER_FILES = { 'e-mail': require.resolve('node-red-node-email/61-email.js') };
const CORE_DIR = path.join(
  path.dirname(require.resolve('@node-red/nodes/package.json', { paths: [path.dirname(require.resolve(process.env.COMET_TEST_NODE_RED || 'node-red'))] })),
  'core',
);
/** FlowFuse Dashboard's nodes (the dashboard example's), by type: its package.json lists their files. */
const DASHBOARD_DIR = path.dirname(require.resolve('@flowfuse/node-red-dashboard/package.json'));
const DASHBOARD_FILES = require(path.join(DASHBOARD_DIR, 'package.json'))['node-red'].nodes;

/** The module of a node type an example uses outside this package, or null for one the helper brings. */
function moduleOf(type) {
  if (DASHBOARD_FILES[type]) return path.join(DASHBOARD_DIR, DASHBOARD_FILES[type]);
  if (OTHER_FILES[type]) return OTHER_FILES[type];
  return CORE_FILES[type] ? path.join(CORE_DIR, CORE_FILES[type]) : null;
}

/** What some examples must produce beyond "a msg": checks of the msg at the debug node. */
const EXPECTED = {
  'list-all-experiments.json': (msg) => {
    assert.deepEqual(
      msg.payload.map((entry) => [entry.project, entry.experiments.length]),
      [
        ['churn', 6],
        ['fraud', 3],
        ['sandbox', 0],
      ],
    );
  },
  // Its filter, accuracy > 0.85 and model_type == "xgboost", compiled into one query.
  'query-project.json': (msg) => {
    assert.deepEqual(msg.payload.experimentKeys, ['xgb-depth6', 'xgb-depth8', 'xgb-depth10'].map((name) => ids.experiments[name]));
  },
  'nightly-report.json': (msg) => {
    const report = fs.readFileSync('/tmp/comet-nightly-report.md', 'utf8');
    assert.equal(msg.payload, report);
    assert.match(report, /^# ml-team\/churn: 5 of 5 experiments by accuracy:max, highest first\n/);
    assert.equal(report.split('\n').filter((line) => /^\| [\w-]+ \| [0-9a-f]{32} \| 0\.\d+ \| 0\.\d+ \| 0\.\d+ \| \w+ \| \d* \| [\d.]+ \|$/.test(line)).length, 5);
  },
  // The file branch or the e-mail branch, whichever reaches its debug node first.
  'html-report.json': (msg) => {
    if (msg.attachments) {
      assert.match(msg.payload, /^<!DOCTYPE html>[\s\S]*<img src="cid:chart-1@comet-report"[\s\S]*<\/html>\n$/);
      assert.ok(!/<svg|data:/.test(msg.payload));
      assert.equal(msg.from, 'node-red@example.com');
      assert.match(msg.topic, /^Comet report: ml-team\/churn, \d{4}-\d{2}-\d{2}$/);
      assert.deepEqual(msg.attachments.map((a) => [a.filename, a.contentType, a.content.subarray(1, 4).toString()]), [
        ['chart-1-val_loss.png', 'image/png', 'PNG'],
        ['chart-2-accuracy.png', 'image/png', 'PNG'],
        ['chart-3-loss.png', 'image/png', 'PNG'],
      ]);
    } else {
      assert.match(msg.payload, /^<!DOCTYPE html>[\s\S]*<svg [\s\S]*<\/html>\n$/);
      assert.equal(fs.readFileSync('/tmp/comet-report.html', 'utf8'), msg.payload);
    }
  },
  'dashboard.json': (msg) => {
    assert.equal(msg.payload.length, 5 * 150, 'every loss value of the top 5');
    assert.deepEqual(Object.keys(msg.payload[0]).sort(), ['series', 'x', 'y']);
    assert.equal(new Set(msg.payload.map((p) => p.series)).size, 5);
    assert.match(msg.payload[0].series, /^[\w-]+: loss$/);
  },
};

/** What the mail that examples' e-mail nodes send must be, beyond "a mail". */
const EXPECTED_MAIL = {
  'html-report.json': (mail) => {
    assert.match(mail.subject, /^Comet report: ml-team\/churn, \d{4}-\d{2}-\d{2}$/);
    assert.equal(mail.to.text, 'ml-team@example.com');
    assert.deepEqual(
      mail.attachments.map((a) => [a.contentType, a.contentId]),
      [1, 2, 3].map((n) => ['image/png', `<chart-${n}@comet-report>`]),
    );
  },
};

/** Ids of the nodes of `type` a msg from `start` can reach along the wires (and from a link out node to its link in nodes). */
function nodesFrom(start, byId, type = 'debug') {
  const seen = new Set();
  const queue = [start];
  while (queue.length) {
    const node = queue.shift();
    const next = [...(node.wires || []).flat(), ...(node.type === 'link out' ? node.links || [] : [])];
    for (const id of next) {
      if (seen.has(id) || !byId.has(id)) continue;
      seen.add(id);
      queue.push(byId.get(id));
    }
  }
  return [...seen].filter((id) => byId.get(id).type === type);
}

/**
 * The example made runnable here: config nodes at the sample server with its
 * key, e-mail nodes at the test's mail server, and a Catch node on each tab
 * that has none (the test helper loads the Catch module once per Catch node:
 * a second one in a flow fails to register).
 */
function prepare(nodes, server, smtpPort) {
  const flow = toLocalMail(nodes, smtpPort).map((node) => (node.type === 'comet-config' ? { ...node, baseUrl: server.url } : { ...node }));
  const credentials = Object.fromEntries(flow.filter((n) => n.type === 'comet-config').map((n) => [n.id, { apiKey: SAMPLE_KEY }]));
  for (const tab of flow.filter((n) => n.type === 'tab' && !flow.some((c) => c.type === 'catch' && c.z === n.id))) {
    flow.push({ id: `${tab.id}-catcher`, type: 'catch', z: tab.id, scope: null, uncaught: false, wires: [[]] });
  }
  return { flow, credentials };
}

/** Error lines the runtime logged since the flow was loaded (a node's done(err) logs one). */
function loggedErrors() {
  return helper
    .log()
    .args.map(([entry]) => entry)
    .filter((entry) => entry.level === helper.log().ERROR)
    .map((entry) => `${entry.type} ${entry.id}: ${entry.msg}`);
}

describe('examples', function () {
  const ctx = useSampleServer();
  useNodeRed();
  let server;
  let mailServer;
  beforeEach(() => ({ server } = ctx));
  before(async () => {
    mailServer = await startMailServer();
  });
  after(() => mailServer.close());

  for (const { file, nodes } of readExamples()) {
    it(`${file} runs against the sample server`, async function () {
      const types = new Set(nodes.map((n) => n.type).filter((type) => type !== 'tab'));
      const missing = [...types].filter((type) => !type.startsWith('comet-') && !(type in CORE_FILES) && !DASHBOARD_FILES[type] && !OTHER_FILES[type]);
      assert.deepEqual(missing, [], 'core node types this test cannot load yet: add them to CORE_FILES');

      const { flow, credentials } = prepare(nodes, server, mailServer.smtpPort);
      const modules = [...new Set([...types].map(moduleOf).filter(Boolean))].map((file) => require(file));
      await load(flow, credentials, modules);

      const catchers = flow.filter((n) => n.type === 'catch').map((n) => helper.getNode(n.id));
      const byId = new Map(flow.map((n) => [n.id, n]));
      for (const inject of flow.filter((n) => n.type === 'inject')) {
        const targets = nodesFrom(inject, byId);
        if (!targets.length) continue;
        // Each e-mail node it reaches sends one mail: all of them arrive before the test ends.
        const mails = mailServer.mails.length + nodesFrom(inject, byId, 'e-mail').length;
        const arrived = new Promise((resolve, reject) => {
          for (const id of targets) helper.getNode(id).once('input', resolve);
          for (const catcher of catchers) catcher.once('input', (msg) => reject(new Error(`${inject.name || inject.id}: ${msg.error.message}`)));
        });
        helper.getNode(inject.id).receive({});
        const msg = await arrived;
        if (EXPECTED[file]) EXPECTED[file](msg);
        await mailServer.received(mails);
        for (const mail of mailServer.mails.slice(mails - nodesFrom(inject, byId, 'e-mail').length, mails)) EXPECTED_MAIL[file](mail.parsed);
      }
      assert.deepEqual(loggedErrors(), []);
    });
  }

  it('each example has a comet-config at the sample server, workspace ml-team, and no credentials', function () {
    for (const { file, nodes } of readExamples()) {
      const configs = nodes.filter((n) => n.type === 'comet-config');
      assert.ok(configs.length >= 1, file);
      for (const config of configs) {
        assert.equal(config.baseUrl, 'http://127.0.0.1:8088', file);
        assert.equal(config.workspace, 'ml-team', file);
        assert.equal(config.credentials, undefined, file);
      }
    }
  });

  it('every node of the package has an example with an inject, the node, a debug and a comment', function () {
    const examples = readExamples();
    for (const type of Object.keys(LISTED).filter((t) => t !== 'comet-config')) {
      const shows = examples.filter(({ nodes }) => nodes.some((n) => n.type === type));
      assert.ok(shows.length, `no example uses ${type}`);
    }
    for (const type of ['comet-get-projects', 'comet-query-project', 'comet-get-experiment', 'comet-get-metrics', 'comet-get-registry-model', 'comet-get-webhook-config', 'comet-get-panels', 'comet-get-best-experiment', 'comet-request']) {
      const own = examples.find(({ nodes }) => {
        const kinds = new Set(nodes.map((n) => n.type));
        return kinds.has(type) && ['inject', 'debug', 'comment'].every((k) => kinds.has(k));
      });
      assert.ok(own, `no example with inject, ${type}, debug and comment`);
    }
  });
});
