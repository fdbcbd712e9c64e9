'use strict';
// Plain JavaScript so the Monte Carlo worker threads can load it without a TypeScript loader.

/** A small, fast, seedable PRNG (mulberry32) returning numbers in [0, 1). */
function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A well-mixed 32-bit seed for one trial of a run. Each trial draws from its own stream, so results do not depend on
 * how trials are split across threads.
 */
function trialSeed(seed, trial) {
  let z = (seed ^ Math.imul(trial + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

module.exports = { mulberry32, trialSeed };
