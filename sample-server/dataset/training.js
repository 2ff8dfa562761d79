'use strict';
// Training runs whose metrics move while they run, for the metric watch: each
// logs `loss`, `val_loss` and `accuracy` one step at a time on a clock of its
// own, so a test makes them move by calling step() and the demo by a timer.
// Their curves go wrong the ways runs do: one diverges, one hits NaN, one
// plateaus, one stalls (its heartbeat goes on, its metrics stop).

const { METRIC_NAMES } = require('./metrics');
const { round6 } = require('./random');

/** How long one step takes on the training clock, unless a run says otherwise. */
const STEP_MS = 10000;

/** A loss that falls smoothly to `floor`. */
const falling = (s, floor = 0.15) => floor + 0.6 * Math.exp(-s / 15) + 0.004 * Math.sin(s);

/**
 * The loss at step `s` (from 1) of each curve; undefined: nothing logged at
 * that step (the run has stalled). `manual`: logs only what log() is given.
 */
const CURVES = {
  /** Better at every step: no rule ever holds. */
  healthy: (s) => 0.08 + 0.6 * Math.exp(-s / 15) + 0.07 / (1 + s / 40),
  /** Falls, then from step 20 grows by e every 6 steps (past 2 at step 32), up to 1000. */
  diverges: (s) => (s <= 20 ? falling(s) : Math.min(1000, falling(20) * Math.exp((s - 20) / 6))),
  /** Falls, then NaN from step 25 on. */
  nan: (s) => (s < 25 ? falling(s) : Number.NaN),
  /** Falls to its best at step 12, then stays a little above it. */
  plateau: (s) => (s <= 12 ? 0.3 + 0.5 * Math.exp(-s / 4) : 0.3 + 0.5 * Math.exp(-3) + 0.01 + 0.005 * (s % 3)),
  /** Falls, and logs nothing after step 15. */
  stalls: (s) => (s <= 15 ? falling(s) : undefined),
  manual: () => undefined,
};

/** The three metrics of a step from its loss. */
function valuesOf(loss) {
  if (!Number.isFinite(loss)) return { loss, val_loss: loss, accuracy: loss };
  return { loss: round6(loss), val_loss: round6(loss * 1.05 + 0.01), accuracy: round6(Math.max(0, Math.min(0.999, 1 - loss / 2))) };
}

/**
 * The training runs of `data`: `runs` starts and ends them (runs.js). A run's
 * heartbeat (the end time the experiment list gives while it runs) is the
 * training clock, which step() moves.
 */
function createTraining(data, runs) {
  const live = new Map(); // experimentKey -> { curve, step }
  let clock = null;
  const now = () => (clock ??= Date.now());

  /** Appends one step of `values` (metric name -> number) to the run's series, at the clock's time. */
  function append(exp, step, values) {
    const at = now();
    METRIC_NAMES.forEach((name, i) => {
      if (values[name] === undefined) return;
      const series = exp.metrics[name];
      series.steps.push(step);
      series.values.push(values[name]);
      series.timestamps.push(at + i);
      series.epochs.push(Math.ceil(step / 10));
      series.offsets.push(series.offsets.length ? series.offsets[series.offsets.length - 1] + METRIC_NAMES.length : i);
    });
  }

  function runOf(key) {
    const run = live.get(key);
    if (!run) throw new Error(`no training run ${key}`);
    return run;
  }

  return {
    CURVES: Object.keys(CURVES),
    /**
     * A running experiment of `ws`/`projectName` with no metrics yet, whose
     * next steps follow `curve` (a name of CURVES). Returns its key.
     */
    start(ws, projectName, experimentName, { curve = 'healthy', tags = ['training'] } = {}) {
      if (!CURVES[curve]) throw new Error(`no curve ${curve}`);
      const key = runs.start(ws, projectName, experimentName, { tags: [...tags, curve] });
      const exp = data.experiments[key];
      exp.startTimeMillis = now();
      exp.heartbeatMillis = now();
      exp.metrics = Object.fromEntries(METRIC_NAMES.map((name) => [name, { steps: [], values: [], timestamps: [], epochs: [], offsets: [] }]));
      live.set(key, { curve, step: 0 });
      return key;
    },
    /** `count` steps of every running training run, each `stepMs` on the clock; their heartbeats move with it. */
    step(count = 1, { stepMs = STEP_MS } = {}) {
      for (let i = 0; i < count; i++) {
        clock = now() + stepMs;
        for (const [key, run] of live) {
          const exp = data.experiments[key];
          if (!exp || !exp.running) continue;
          exp.heartbeatMillis = clock;
          const loss = CURVES[run.curve](run.step + 1);
          if (loss === undefined) continue;
          run.step += 1;
          append(exp, run.step, valuesOf(loss));
        }
      }
    },
    /** One more step of run `key` with exactly these values (e.g. `{ loss: 2.5 }`), at the clock's time. */
    log(key, values) {
      const run = runOf(key);
      run.step += 1;
      append(data.experiments[key], run.step, values);
    },
    /** The training clock (ms since the epoch). */
    now,
  };
}

module.exports = { createTraining, STEP_MS };
