const { useSampleServer, loadNode } = require('./harness');
const { helper } = require('../helpers/runtime');
describe('dbg', function () {
  this.timeout(4000);
  const ctx = useSampleServer();
  it('catch', async function () {
    const loaded = await loadNode(ctx.server, { type: 'comet-get-projects', operation: 'project' });
    console.log(helper.getNode('catch') && helper.getNode('catch').type);
    loaded.node.on('call:error', (c) => console.log('error called', c.args[0] && c.args[0].message));
    loaded.node.receive({});
    await new Promise((r) => setTimeout(r, 500));
    console.log(helper.log().args.slice(-5).map(a=>JSON.stringify(a[0]).slice(0,300)));
  });
});
