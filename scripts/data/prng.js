"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Prng = void 0;
/**
 * A seeded pseudo-random number generator (mulberry32): the same seed always gives the same sequence, on every
 * platform, so the demo firm is byte-identical from run to run. Not for anything security-related.
 */
class Prng {
    state;
    constructor(seed) {
        this.state = seed >>> 0;
    }
    /** A float in [0, 1). */
    next() {
        this.state = (this.state + 0x6d2b79f5) >>> 0;
        let t = this.state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }
    /** An integer in [min, max], both inclusive. */
    int(min, max) {
        return min + Math.floor(this.next() * (max - min + 1));
    }
    /** True with the given probability (0..1). */
    chance(probability) {
        return this.next() < probability;
    }
    pick(items) {
        if (items.length === 0)
            throw new Error('Prng.pick: no items');
        return items[Math.floor(this.next() * items.length)];
    }
    /** One of the keys, chosen with probability proportional to its weight. */
    weighted(weights) {
        const entries = Object.entries(weights);
        const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
        let roll = this.next() * total;
        for (const [key, weight] of entries) {
            roll -= weight;
            if (roll < 0)
                return key;
        }
        return entries[entries.length - 1][0];
    }
    /** `count` distinct items, in the order they were drawn. */
    sample(items, count) {
        const pool = [...items];
        const chosen = [];
        while (chosen.length < count && pool.length > 0)
            chosen.push(pool.splice(this.int(0, pool.length - 1), 1)[0]);
        return chosen;
    }
}
exports.Prng = Prng;
