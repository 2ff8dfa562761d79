'use strict';
// The metric watch's rules as people write them (triggers/metric-rules.ts):
// each form, metric names with spaces and signs, and what is no rule.
const assert = require('node:assert/strict');
const { parseRules, metricsOf } = require('../../nodes/triggers/metric-rules');

const own = (key, vars) => `${key} ${JSON.stringify(vars || {})}`;
const parsed = (text) => parseRules(text, own).map(({ text: _text, ...rule }) => rule);

describe('comet-metric-watch: rules as written', function () {
  it('reads each form, one a line, blank lines skipped, keywords in any case', () => {
    assert.deepEqual(parsed('val_loss > 2\n\n  loss <= -0.5 \r\nacc>=1e-3\nLoss NOT finite\nval_loss min no better for 20 steps\naccuracy MAX no better for 1 step\nstalled 10 minutes\nStalled 0.5 minute'), [
      { kind: 'threshold', metric: 'val_loss', op: '>', limit: 2 },
      { kind: 'threshold', metric: 'loss', op: '<=', limit: -0.5 },
      { kind: 'threshold', metric: 'acc', op: '>=', limit: 0.001 },
      { kind: 'notFinite', metric: 'Loss' },
      { kind: 'noBetter', metric: 'val_loss', goal: 'min', steps: 20 },
      { kind: 'noBetter', metric: 'accuracy', goal: 'max', steps: 1 },
      { kind: 'stalled', minutes: 10 },
      { kind: 'stalled', minutes: 0.5 },
    ]);
  });

  it('keeps metric names as logged: spaces, slashes, brackets; the text of each rule as written', () => {
    const rules = parseRules(['train/loss (val) < 0.1', 'sys.gpu.0.memory > 90', 'my metric not finite'], own);
    assert.deepEqual(rules.map((r) => r.metric), ['train/loss (val)', 'sys.gpu.0.memory', 'my metric']);
    assert.deepEqual(rules.map((r) => r.text), ['train/loss (val) < 0.1', 'sys.gpu.0.memory > 90', 'my metric not finite']);
    assert.deepEqual(metricsOf(parseRules('loss > 2\nloss not finite\nstalled 5 minutes\nval_loss < 1', own)), ['loss', 'val_loss']);
  });

  it('the same rule twice counts once', () => {
    assert.equal(parseRules('loss > 2\nloss > 2 ', own).length, 1);
  });

  for (const bad of ['loss >> 2', 'loss > two', '> 2', 'loss min no better for 0 steps', 'loss min no better for 2.5 steps', 'stalled 0 minutes', 'stalled ten minutes', 'loss is bad']) {
    it(`"${bad}" is no rule: a bad input naming it`, () => {
      assert.throws(() => parseRules(`loss > 1\n${bad}`, own), (err) => err.code === 'COMET_BAD_INPUT' && err.message === `errors.rule ${JSON.stringify({ rule: bad })}`);
    });
  }

  it('no rule at all is a bad input', () => {
    for (const none of ['', '\n \n', [], undefined, 42]) assert.throws(() => parseRules(none, own), (err) => err.code === 'COMET_BAD_INPUT' && err.message.startsWith('errors.noRules'));
  });
});
