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
}
export function runTrials(job: TrialJob): void;
