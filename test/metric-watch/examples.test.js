'use strict';
// The example "alert the team when a run diverges", run as a user imports it
// against the sample server with the demo's own training runs (hurried: a
// step every few ms): each run that goes wrong is told to the team once, with
// the rule it broke, and the healthy run never.
const assert = require('node:assert/strict');
const { helper } = require('../helpers/runtime');
const { useWatchTest, pollNow } = require('../watch/harness');
const { exampleFlow, loadExample } = require('../watch/examples');
const { until } = require('../helpers/wait');
const { startDemoActivity } = require('../../sample-server/demo-activity');

describe('examples: metric watch flows', function () {
  const ctx = useWatchTest();

  it('"alert the team when a run diverges" tells of the run that diverges, the NaN, the plateau and the stall, once each', async () => {
    const { server } = ctx;
    const flow = exampleFlow('alert-when-a-run-diverges', { server });
    const watch = flow.find((n) => n.type === 'comet-metric-watch');
    const chat = flow.find((n) => n.name === 'chat');
    await loadExample(flow);
    const said = [];
    helper.getNode(chat.id).on('input', (msg) => said.push(msg.payload));
    const stop = startDemoActivity(server, { afterMs: 3600000, tickMs: 5 });
    try {
      const wanted = ['resnet-lr-0.1: loss > 2', 'resnet-fp16: loss not finite', 'resnet-small: loss min no better for 10 steps', 'resnet-dataloader: stalled 1 minute'];
      const told = () => wanted.filter((w) => said.some((line) => line.startsWith(`Run ${w.split(':')[0]} of ml-team/sandbox: ${w.split(': ')[1]} (`)));
      await until(
        async () => {
          await pollNow(watch.id);
          return told().length === wanted.length;
        },
        { timeout: 8000, message: 'the four alerts' },
      );
    } catch (err) {
      throw new Error(`${err.message}; said: ${said.join(' | ')}`, { cause: err });
    } finally {
      stop();
    }
    await pollNow(watch.id);
    assert.ok(!said.some((line) => line.includes('resnet-baseline')), said.join('\n'));
    assert.equal(new Set(said.map((line) => line.split(' (')[0])).size, said.length, `each (run, rule) once: ${said.join('\n')}`);
    assert.match(said.find((line) => line.startsWith('Run resnet-lr-0.1 of ml-team/sandbox: loss >')), /^Run resnet-lr-0\.1 of ml-team\/sandbox: loss > 2 \(loss = \d+\.\d+ at step \d+\)\.$/);
  });
});
