'use strict';
// The Monte Carlo inner loop, in plain JavaScript so worker threads can run it without a TypeScript loader.
const { mulberry32, trialSeed } = require('./random.js');

/**
 * Runs trials [from, to): in each, every open deal wins with its probability (all its demand together) and the
 * demand of the deals won is added to the confirmed baseline. Writes each trial's role-week totals into
 * `samples[trial * cellCount + cell]` (trial-major: each trial writes one contiguous run), counts trials where demand exceeds capacity, and sums totals for the mean.
 */
function runTrials(job) {
  const { baseline, capacity, offsets, cells, hours, probabilities, seed, trials, from, to, samples, shortage, sum } =
    job;
  const cellCount = baseline.length;
  const deals = probabilities.length;
  const total = new Float64Array(cellCount);
  for (let trial = from; trial < to; trial++) {
    total.set(baseline);
    const random = mulberry32(trialSeed(seed, trial));
    for (let deal = 0; deal < deals; deal++) {
      if (random() >= probabilities[deal]) continue;
      for (let entry = offsets[deal]; entry < offsets[deal + 1]; entry++) total[cells[entry]] += hours[entry];
    }
    const row = trial * cellCount;
    for (let cell = 0; cell < cellCount; cell++) {
      const value = total[cell];
      samples[row + cell] = value;
      sum[cell] += value;
      if (value > capacity[cell] + 1e-9) shortage[cell]++;
    }
  }
}

module.exports = { runTrials };
