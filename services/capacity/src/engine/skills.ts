import type { SkillLayers } from './demand';
import type { ResourceInput } from './types';

/**
 * Capacity by (role, skill) and week, for the pairs demand names: the hours of the people whose primary role is the
 * role and who hold the skill. A person holding several skills counts in full towards each of them (their hours can
 * go to any one skill they hold, so each skill's capacity is what the firm could put on it), which is why skill rows
 * overlap and are never added up: the role rows hold the firm's total. Row `pair.index` of the result is the pair.
 */
export function skillCapacity(
  skills: SkillLayers[],
  resources: ResourceInput[],
  perResource: Float64Array,
  weeks: number
): Float64Array {
  const capacity = new Float64Array(skills.length * weeks);
  if (!skills.length) return capacity;
  const pairs = new Map<string, Map<string, number>>();
  for (const pair of skills) {
    let bySkill = pairs.get(pair.role);
    if (!bySkill) pairs.set(pair.role, (bySkill = new Map()));
    bySkill.set(pair.skill, pair.index);
  }
  for (let row = 0; row < resources.length; row++) {
    const resource = resources[row]!;
    const bySkill = pairs.get(resource.role);
    if (!bySkill || !resource.skills) continue;
    // A skill listed twice counts once.
    const seen = new Set<number>();
    for (const skill of resource.skills) {
      const index = bySkill.get(skill);
      if (index === undefined || seen.has(index)) continue;
      seen.add(index);
      const base = index * weeks;
      const from = row * weeks;
      for (let week = 0; week < weeks; week++) capacity[base + week]! += perResource[from + week]!;
    }
  }
  return capacity;
}

/** Capacity left per (role, skill) and week after confirmed demand. */
export function skillRemaining(skills: SkillLayers[], capacity: Float64Array, weeks: number): Float64Array {
  const remaining = Float64Array.from(capacity);
  for (const pair of skills) {
    const base = pair.index * weeks;
    for (let week = 0; week < weeks; week++) remaining[base + week]! -= pair.confirmed[week]!;
  }
  return remaining;
}
