'use strict';
// The deploy hook `npm start` and `npm run demo:ha` serve for the deploy
// example (scripts/lib/deploy-hook.js): it answers, counts, and says when a
// deploy repeats an Idempotency-Key (the change's msg.eventId) it had before.
const assert = require('node:assert/strict');
const { startDeployHook, DEPLOY_HOOK_PORT } = require('../scripts/lib/deploy-hook');

describe('the demo deploy hook', function () {
  it('listens where the deploy example posts, answers each deploy with its number, and tells a repeat', async function () {
    assert.equal(DEPLOY_HOOK_PORT, 9000);
    const lines = [];
    const hook = await startDeployHook({ port: 0, log: (line) => lines.push(line) });
    try {
      const deploy = (key, version) =>
        fetch(`${hook.url}hooks/deploy-churn-model`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify({ model: 'churn-model', version, eventId: key }) }).then(async (res) => [res.status, await res.json()]);
      assert.deepEqual(await deploy('e1', '1.1.0'), [200, { deployed: 1 }]);
      assert.deepEqual(await deploy('e2', '1.2.0'), [200, { deployed: 2 }]);
      assert.deepEqual(await deploy('e1', '1.1.0'), [200, { deployed: 3 }]);
      assert.equal(hook.count(), 3);
      assert.deepEqual(lines, [
        'deploy #1 of churn-model 1.1.0 (/hooks/deploy-churn-model)',
        'deploy #2 of churn-model 1.2.0 (/hooks/deploy-churn-model)',
        'deploy #3 of churn-model 1.1.0 (/hooks/deploy-churn-model): a REPEAT of deploy #1 (same Idempotency-Key)',
      ]);
    } finally {
      await hook.close();
    }
  });
});
