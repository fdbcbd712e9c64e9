export interface TrialJob {
  baseline: Float64Array;
  capacity: Float64Array;
  offsets: Int32Array;
  cells: Int32Array;
  hours: Float64Array;
  probabilities: Float64Array;
  seed: number;
  trials: number;
  from: number;
  to: number;
  samples: Float32Array;
  shortage: Int32Array;
  sum: Float64Array;
  /** Slip distribution of each deal (-1: none); distribution i is slipValues[slipOffsets[i] .. slipOffsets[i + 1] - 1]. */
  slipDistribution?: Int32Array;
  slipOffsets?: Int32Array;
  slipValues?: Int32Array;
  /** Week of each entry within its role row, and weeks per row. */
  entryWeeks?: Int32Array;
  /** First and last week of each deal's entries. */
  firstWeeks?: Int32Array;
  lastWeeks?: Int32Array;
  weeks?: number;
}
export function runTrials(job: TrialJob): void;
