import type { Forecast, Grid } from '../engine/types';

export type Slot = 'A' | 'B';

/** A row to upsert: its external-id key and field values. */
export interface OutputRow {
  key: string;
  fields: Record<string, string | number | boolean | null>;
}

export interface OutputRows {
  forecast: OutputRow[];
  answers: OutputRow[];
  recommendations: OutputRow[];
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/**
 * The rows a forecast publishes in a slot: one per role-week, practice-week and (role, skill)-week, one staffing answer per open deal,
 * one recommendation per ranked candidate. Keys are stable across runs, so an unchanged value is an unchanged row.
 */
export function outputRows(
  forecast: Forecast,
  slot: Slot,
  runId: string,
  engagementsByOpportunity: Map<string, string>,
  engagementsByDemand: Map<string, string>
): OutputRows {
  const rows: OutputRows = { forecast: [], answers: [], recommendations: [] };
  const weeks = forecast.weeks.length;
  const grid = (values: Grid | undefined, cell: number) => (values ? round2(values[cell]!) : null);
  const addGrid = (
    dimension: 'Role' | 'Practice' | 'Skill',
    names: string[],
    layers: Forecast['grids'],
    withBands: boolean,
    skills?: string[]
  ) => {
    names.forEach((name, row) => {
      const skill = skills?.[row];
      for (let week = 0; week < weeks; week++) {
        const cell = row * weeks + week;
        const bands = withBands ? forecast.monteCarlo : undefined;
        rows.forecast.push({
          key: `${slot}:${dimension}:${skill === undefined ? name : `${name}:${skill}`}:${forecast.weeks[week]}`,
          fields: {
            Slot__c: slot,
            Run__c: runId,
            Dimension__c: dimension,
            Name__c: (skill === undefined ? name : `${name} / ${skill}`).slice(0, 80),
            ...(skill === undefined ? {} : { Skill__c: skill.slice(0, 80) }),
            Week_Start__c: forecast.weeks[week]!,
            Capacity_Hours__c: grid(layers.capacity, cell),
            Confirmed_Hours__c: grid(layers.confirmed, cell),
            Weighted_Hours__c: grid(layers.weighted, cell),
            // Without history the calibrated probability is the entered one: both equal Weighted_Hours__c.
            Weighted_Entered_Hours__c: grid(layers.weightedEntered ?? layers.weighted, cell),
            Weighted_Calibrated_Hours__c: grid(layers.weightedCalibrated ?? layers.weighted, cell),
            Exposure_Hours__c: grid(layers.exposure, cell),
            Tentative_Hours__c: grid(layers.tentative, cell),
            P10_Hours__c: grid(bands?.p10, cell),
            P50_Hours__c: grid(bands?.p50, cell),
            P90_Hours__c: grid(bands?.p90, cell),
            Shortage_Probability__c: bands ? round2(bands.shortageProbability[cell]! * 100) : null
          }
        });
      }
    });
  };
  addGrid('Role', forecast.roles, forecast.grids, true);
  addGrid('Practice', forecast.practices, forecast.practiceGrids, false);
  // Skill rows: one per (role, skill) pair demand names, keyed by both. They overlap (see Forecast.skills).
  const skillLayer = (layer: 'capacity' | 'confirmed' | 'weighted' | 'exposure' | 'tentative') => {
    const values = new Float64Array(forecast.skills.length * weeks);
    forecast.skills.forEach((pair, row) => values.set(pair[layer].subarray(0, weeks), row * weeks));
    return values;
  };
  addGrid(
    'Skill',
    forecast.skills.map((pair) => pair.role),
    {
      capacity: skillLayer('capacity'),
      confirmed: skillLayer('confirmed'),
      weighted: skillLayer('weighted'),
      exposure: skillLayer('exposure'),
      tentative: skillLayer('tentative')
    },
    false,
    forecast.skills.map((pair) => pair.skill)
  );

  for (const answer of forecast.staffing) {
    const roleShortfalls = answer.shortfalls.filter((short) => short.skill === undefined);
    const skillShortfalls = answer.shortfalls.filter((short) => short.skill !== undefined);
    rows.answers.push({
      key: `${slot}:${answer.opportunityId}`,
      fields: {
        Slot__c: slot,
        Run__c: runId,
        Opportunity__c: answer.opportunityId,
        Engagement__c: engagementsByOpportunity.get(answer.opportunityId) ?? null,
        Staffable__c: answer.staffable,
        Answer_State__c: answer.state,
        Planned_Start__c: answer.plannedStart,
        Start_Basis__c: answer.startBasis,
        Start_Shift_Days__c: answer.startShiftDays,
        Earliest_Feasible_Start__c: answer.earliestFeasibleStart,
        // Counts each role once, whether it or its skill holders are short (see atLeastByRole in the engine).
        Shortfall_Hours__c: round2(answer.shortfallHours),
        Over_Committed_Hours__c: round2(answer.overCommittedHours),
        Hours_Beyond_Horizon__c: round2(answer.hoursBeyondHorizon),
        Horizon_End__c: answer.horizonEnd,
        Short_Roles__c: joinWhole(roleShortfalls.map((short) => short.role)),
        Short_Skills__c: joinWhole(skillShortfalls.map((short) => `${short.role} / ${short.skill}`)),
        Shortfalls__c: JSON.stringify(answer.shortfalls)
      }
    });
  }
  for (const recommendation of forecast.recommendations) {
    recommendation.candidates.forEach((candidate, index) => {
      rows.recommendations.push({
        key: `${slot}:${recommendation.demandId}:${index + 1}`,
        fields: {
          Slot__c: slot,
          Run__c: runId,
          Demand__c: recommendation.demandId,
          Engagement__c: engagementsByDemand.get(recommendation.demandId) ?? null,
          Resource__c: candidate.resourceId,
          Rank__c: index + 1,
          Score__c: candidate.score,
          Availability__c: round2(candidate.availability * 100),
          Skill_Match__c: candidate.skillMatch,
          Weekly_Availability__c: JSON.stringify(candidate.weeks)
        }
      });
    });
  }
  return rows;
}

/** Fields compared to decide whether a stored row changed (Run__c is bookkeeping, not content). */
const IGNORED = new Set(['Run__c']);

/**
 * Splits wanted rows against what the slot holds: rows to upsert (new or changed) and Ids to delete (stored rows no
 * longer produced). Numbers compare to the cent; dates and text exactly.
 */
export function diffRows(
  wanted: OutputRow[],
  stored: Record<string, unknown>[],
  keyField: string
): { upserts: OutputRow[]; deletes: string[] } {
  const storedByKey = new Map(stored.map((row) => [String(row[keyField]), row]));
  const upserts: OutputRow[] = [];
  for (const row of wanted) {
    const current = storedByKey.get(row.key);
    storedByKey.delete(row.key);
    if (!current || changed(row.fields, current)) upserts.push(row);
  }
  return { upserts, deletes: [...storedByKey.values()].map((row) => String(row.Id)) };
}

function changed(fields: OutputRow['fields'], stored: Record<string, unknown>): boolean {
  for (const [field, value] of Object.entries(fields)) {
    if (IGNORED.has(field)) continue;
    const current = stored[field] ?? null;
    if (typeof value === 'number' || typeof current === 'number') {
      if (value === null || current === null || Math.abs(Number(value) - Number(current)) > 0.005) {
        if (!(value === null && current === null)) return true;
      }
    } else if ((value ?? null) !== current) {
      return true;
    }
  }
  return false;
}

/**
 * Comma-joined values that fit a Text(255) field: whole values only, so a reader never gets half a role or half a
 * "role / skill" pair (the full detail is in Shortfalls__c). Null when there are none.
 */
export function joinWhole(values: string[], max = 255): string | null {
  let joined = '';
  for (const value of values) {
    const next = joined ? `${joined}, ${value}` : value;
    if (next.length > max) break;
    joined = next;
  }
  return joined || null;
}
