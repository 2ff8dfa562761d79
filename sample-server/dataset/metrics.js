'use strict';
// Metric series of the sample dataset: the training curves every sample
// experiment logs, and the generated series of the chart-bench experiments.

const { rngFor, round6 } = require('./random');

const STEPS = 150;
const STEPS_PER_EPOCH = 10;
const METRIC_NAMES = ['loss', 'accuracy', 'val_loss'];

/** { loss, accuracy, val_loss } of `exp`, each { steps, values, timestamps, epochs, offsets }, ending near quality `q`. */
function makeSeries(exp, q) {
  const rnd = rngFor(`metrics:${exp.experimentKey}`);
  const noise = (scale) => (rnd() - 0.5) * 2 * scale;
  const lossEnd = 0.08 + (1 - q) * 1.1;
  const lossStart = 0.69 + rnd() * 0.1;
  const tau = 18 + rnd() * 20;
  const overfit = exp.tags.includes('overfit') ? 0.25 : 0.04;
  const series = {};
  for (const name of METRIC_NAMES) series[name] = { steps: [], values: [], timestamps: [], epochs: [], offsets: [] };
  for (let step = 1; step <= STEPS; step++) {
    const decay = Math.exp(-step / tau);
    const loss = Math.max(0.001, lossEnd + (lossStart - lossEnd) * decay + noise(0.015));
    const acc = Math.min(0.999, Math.max(0, 0.5 + (q - 0.5) * (1 - decay) + noise(0.008)));
    const valLoss = Math.max(0.001, loss * 1.04 + overfit * (step / STEPS) ** 2 + noise(0.02));
    const ts = exp.startTimeMillis + step * 2000 + Math.floor(rnd() * 400);
    const values = { loss, accuracy: acc, val_loss: valLoss };
    METRIC_NAMES.forEach((name, i) => {
      const s = series[name];
      s.steps.push(step);
      s.values.push(round6(values[name]));
      s.timestamps.push(ts + i * 3);
      s.epochs.push(Math.ceil(step / STEPS_PER_EPOCH));
      s.offsets.push(step * METRIC_NAMES.length + i);
    });
  }
  return series;
}

/**
 * The series of the `index`-th chart-bench experiment (started at `start`):
 * `names` metrics of `points` steps each, generated when asked for.
 */
function lazySeries(names, points, start, index) {
  return {
    names,
    generate(name) {
      // Typed arrays: 15,000 points x 500 series per request must not churn the GC.
      const m = names.indexOf(name);
      const steps = new Int32Array(points);
      const values = new Float64Array(points);
      const timestamps = new Float64Array(points);
      const epochs = new Int32Array(points);
      const offsets = new Int32Array(points);
      for (let s = 0; s < points; s++) {
        steps[s] = s + 1;
        values[s] = round6(Math.exp(-s / (points / 4)) * (1 + m / 10) + 0.05 * Math.sin(s / 7 + index + m));
        timestamps[s] = start + (s + 1) * 100;
        epochs[s] = Math.ceil((s + 1) / 100);
        offsets[s] = s * names.length + m;
      }
      return { steps, values, timestamps, epochs, offsets };
    },
  };
}

module.exports = { METRIC_NAMES, STEPS, STEPS_PER_EPOCH, makeSeries, lazySeries };
