'use strict';
// JSON answers are decoded chunk by chunk as they arrive (so a big answer is
// never held as bytes and text at once): a character split between two
// chunks must still come out whole, and the size limit still holds.
const assert = require('node:assert/strict');
const { withClient, useClient, metadataCall, rejectionOf } = require('../helpers/client');

const TEXT = 'Ünïcødé ✓ 日本語 🚀 — '.repeat(20);

describe('answers: JSON decoded as it arrives', function () {
  const ctx = useClient();

  it('keeps characters whole when the body comes a byte at a time', async function () {
    ctx.server.fault('experiment/metadata', { body: { experimentName: TEXT }, trickleMs: 1, trickleBytes: 1 });
    const answer = await ctx.client.json(metadataCall(ctx.experimentKey));
    assert.deepEqual(answer, { experimentName: TEXT });
  });

  it('still fails an answer larger than the limit', async function () {
    await withClient(ctx.server, { maxAnswerBytes: 64 }, async (client) => {
      ctx.server.fault('experiment/metadata', { body: { experimentName: TEXT }, trickleMs: 1, trickleBytes: 16 });
      const err = await rejectionOf(client.json(metadataCall(ctx.experimentKey)));
      assert.equal(err.code, 'COMET_TOO_LARGE');
    });
  });
});
