'use strict';
// On a Node older than package.json's engines.node the config node's file
// fails to load with one sentence (Node-RED logs it as the node set's error)
// instead of undici's TypeError; on the Nodes the legs test it loads.
const assert = require('node:assert/strict');
const { unsupportedNode } = require('../../nodes/client/supported-node');
const PACKAGE = require('../../package.json');

describe('client: the Node it runs on', () => {
  it('loads here, on a Node that engines.node allows', () => {
    assert.equal(unsupportedNode(), undefined, `${process.version} is refused`);
  });

  it('accepts the lowest Node that engines.node allows and every newer one', () => {
    for (const version of ['22.19.0', 'v22.23.3', '23.0.0', '24.0.0', '26.10.0', '30.1.2']) assert.equal(unsupportedNode(version), undefined, version);
  });

  it('refuses an older Node with one sentence naming the package, both versions and what to do', () => {
    for (const version of ['v20.20.2', '22.18.9', '22.9.0', '18.20.4']) {
      const message = unsupportedNode(version);
      assert.ok(message, `${version} is accepted`);
      assert.ok(message.startsWith(`${PACKAGE.name} needs Node.js 22.19.0 or newer`), message);
      assert.ok(message.includes(`runs on Node.js ${version.replace(/^v/, '')}`), message);
      assert.match(message, /upgrade Node\.js and restart Node-RED\.$/);
      assert.ok(!message.includes('\n'), 'more than one line');
    }
  });
});
