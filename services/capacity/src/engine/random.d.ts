export function mulberry32(seed: number): () => number;
export function trialSeed(seed: number, trial: number): number;
