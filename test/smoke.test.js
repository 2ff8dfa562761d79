'use strict';
const assert = require('node:assert/strict');
const { helper, configNode, load, useNodeRed, nextMessage } = require('./helpers/runtime');
const { useSampleServer } = require('./helpers/sample-server');

describe('smoke: get experiment metadata', function () {
  const ctx = useSampleServer();
  useNodeRed();
  let server;
  beforeEach(() => ({ server } = ctx));

  it('returns Comet answer in msg.payload', async () => {
    const key = Object.keys(server.data.experiments)[0];
    await load([
      configNode(server),
      { id: 'n1', type: 'comet-get-experiment', server: 'cfg', operation: 'metadata', wires: [['out']] },
      { id: 'out', type: 'helper' },
    ]);
    const got = nextMessage(helper.getNode('out'));
    helper.getNode('n1').receive({ experimentKey: key, keep: 1 });
    const msg = await got;
    assert.equal(msg.payload.experimentKey, key);
    assert.equal(msg.keep, 1);
    const req = server.requests.at(-1);
    assert.equal(req.path, 'experiment/metadata');
    assert.equal(req.headers.authorization, 'sample-key');
  });
});
