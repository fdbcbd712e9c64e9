'use strict';
// The Monte Carlo inner loop, in plain JavaScript so worker threads can run it without a TypeScript loader.
const { mulberry32, trialSeed } = require('./random.js');

/**
 * Runs trials [from, to): in each, every open deal wins with its probability (all its demand together), shifted by a
 * sampled close-date slip when slip samples are given, and the demand of the deals won is added to the confirmed
 * baseline. Writes each trial's role-week totals into `samples[trial * cellCount + cell]` (trial-major: each trial
 * writes one contiguous run), counts trials where demand exceeds capacity, and sums totals for the mean.
 */
function runTrials(job) {
  const { baseline, capacity, offsets, cells, hours, probabilities, seed, trials, from, to, samples, shortage, sum } =
    job;
  const { slipDistribution, slipOffsets, slipValues, entryWeeks, firstWeeks, lastWeeks, weeks } = job;
  const cellCount = baseline.length;
  const deals = probabilities.length;
  const total = new Float64Array(cellCount);
  for (let trial = from; trial < to; trial++) {
    total.set(baseline);
    const random = mulberry32(trialSeed(seed, trial));
    for (let deal = 0; deal < deals; deal++) {
      if (random() >= probabilities[deal]) continue;
      // A won deal with slip samples draws one (a second number from the trial's stream, only then, so runs
      // without slip draw exactly as before) and all its demand moves by that many weeks.
      let shift = 0;
      const distribution = slipDistribution ? slipDistribution[deal] : -1;
      if (distribution >= 0) {
        const first = slipOffsets[distribution];
        shift = slipValues[first + Math.floor(random() * (slipOffsets[distribution + 1] - first))];
      }
      if (shift === 0) {
        for (let entry = offsets[deal]; entry < offsets[deal + 1]; entry++) total[cells[entry]] += hours[entry];
        continue;
      }
      if (firstWeeks[deal] + shift >= 0 && lastWeeks[deal] + shift < weeks) {
        for (let entry = offsets[deal]; entry < offsets[deal + 1]; entry++) total[cells[entry] + shift] += hours[entry];
        continue;
      }
      for (let entry = offsets[deal]; entry < offsets[deal + 1]; entry++) {
        const week = entryWeeks[entry] + shift;
        if (week >= 0 && week < weeks) total[cells[entry] + shift] += hours[entry];
      }
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
