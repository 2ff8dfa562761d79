'use strict';
// StatusReporter: throttled, and a summary given as a function is worded only
// when it is shown (wording every msg's summary was the nodes' main CPU cost).
const assert = require('node:assert/strict');
const sinon = require('sinon');
const { StatusReporter } = require('../../nodes/node-red/status');

describe('StatusReporter', function () {
  let clock;
  let shown;
  let reporter;

  beforeEach(function () {
    clock = sinon.useFakeTimers({ now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    shown = [];
    reporter = new StatusReporter({ status: (s) => shown.push(s) }, (key, vars) => (vars ? `${key} ${JSON.stringify(vars)}` : key));
  });

  afterEach(function () {
    reporter.stop();
    clock.restore();
  });

  it('words only the summaries it shows: the first at once, then one trailing update per interval', function () {
    const worded = [];
    const summary = (n) => () => {
      worded.push(n);
      return `summary ${n}`;
    };
    for (let n = 0; n < 1000; n++) {
      reporter.requesting(1 + (n % 8));
      reporter.done(summary(n));
    }
    assert.deepEqual(shown.map((s) => s.text), ['status.requesting']);
    assert.deepEqual(worded, []);
    clock.tick(250);
    assert.deepEqual(worded, [999]);
    assert.deepEqual(shown.at(-1), { fill: 'green', shape: 'dot', text: 'summary 999' });
    assert.equal(shown.length, 2);
  });

  it('still takes a plain text summary', function () {
    reporter.done('3 projects');
    assert.deepEqual(shown, [{ fill: 'green', shape: 'dot', text: '3 projects' }]);
  });

  it('words nothing once stopped', function () {
    reporter.done('first');
    let worded = 0;
    reporter.done(() => String(++worded));
    reporter.stop();
    clock.tick(1000);
    assert.equal(worded, 0);
    assert.equal(shown.length, 1);
  });
});
