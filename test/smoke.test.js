'use strict';
const assert = require('node:assert/strict');
const { helper, createSampleServer, configNode, load, nextMessage } = require('./helpers/runtime');

describe('smoke: get experiment metadata', function () {
  let server;
  before(async () => {
    server = await createSampleServer();
  });
  after(async () => server.close());
  beforeEach((done) => {
    helper.startServer(done);
  });
  afterEach(async () => {
    await helper.unload();
    await new Promise((r) => helper.stopServer(r));
  });

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
