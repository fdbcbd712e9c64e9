import { isoDate, dayNumber } from '../src/engine/calendar';
import { mulberry32 } from '../src/engine/random';
import type { AssignmentInput, DemandInput, EngineInput, OpportunityInput, ResourceInput } from '../src/engine/types';

export interface FirmSize {
  resources: number;
  demandLines: number;
  openOpportunities: number;
  roles: number;
  weeks: number;
}

/**
 * A deterministic synthetic firm for benchmarks: roles, people with one to three skills and varied weekly hours
 * (full-time, 4-day and part-time patterns), holidays, time off, confirmed and pipeline demand (half the lines name a
 * skill), and bookings: hard ones on confirmed lines and for internal work, soft ones on pipeline lines (the
 * Tentative layer). One booking per five demand lines.
 */
export function syntheticFirm(size: FirmSize, seed = 2026): EngineInput {
  const random = mulberry32(seed);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
  const asOf = '2026-11-23';
  const start = dayNumber(asOf);
  const roles = Array.from({ length: size.roles }, (_, index) => `Role ${index + 1}`);
  const skills = ['Apex', 'LWC', 'MuleSoft', 'Data Migration', 'CPQ', 'Tableau', 'Marketing Cloud', 'Agile Delivery'];
  const locations = ['London', 'New York', 'Berlin', 'Remote'];
  const practices = ['CRM', 'Data & Analytics', 'Integration', 'Advisory'];

  // 32 h people work four days, 24 h and 16 h people three and two (Working_Days__c); the others Monday to Friday.
  const patterns: Record<number, number[]> = { 32: [0, 1, 2, 3], 24: [0, 2, 4], 16: [1, 3] };
  const resources: ResourceInput[] = Array.from({ length: size.resources }, (_, index) => {
    const weeklyHours = pick([40, 40, 40, 37.5, 35, 32, 30, 24, 20, 16]);
    return {
      id: `R${index}`,
      role: roles[index % roles.length]!,
      skills: Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(skills)),
      weeklyHours,
      workingDays: patterns[weeklyHours],
      location: pick(locations),
      practice: pick(practices),
      activeFrom: random() < 0.05 ? isoDate(start + Math.floor(random() * 200)) : undefined,
      activeTo: random() < 0.05 ? isoDate(start + 200 + Math.floor(random() * 300)) : undefined
    };
  });
  const holidays = locations.flatMap((location) =>
    Array.from({ length: 10 }, () => ({ date: isoDate(start + Math.floor(random() * size.weeks * 7)), location }))
  );
  // Firm-wide holidays (no location): the firm calendar demand is spread over, about eight a year.
  for (let week = 3; week < size.weeks; week += 6) holidays.push({ date: isoDate(start + week * 7 + (week % 5)) });
  const timeOff = Array.from({ length: Math.floor(size.resources / 2) }, (_, index) => {
    const from = start + Math.floor(random() * size.weeks * 7);
    return {
      id: `T${index}`,
      resourceId: `R${Math.floor(random() * size.resources)}`,
      start: isoDate(from),
      end: isoDate(from + Math.floor(random() * 10))
    };
  });

  const opportunities: OpportunityInput[] = Array.from({ length: size.openOpportunities }, (_, index) => ({
    id: `O${index}`,
    probability: 10 + Math.floor(random() * 80),
    expectedStart: isoDate(start + Math.floor(random() * size.weeks * 5))
  }));
  const demand: DemandInput[] = [];
  for (let index = 0; index < size.demandLines; index++) {
    const pipeline = index < size.demandLines * 0.7;
    const deal = pipeline ? opportunities[index % opportunities.length]! : undefined;
    const from = deal
      ? dayNumber(deal.expectedStart!) + Math.floor(random() * 14)
      : start + Math.floor(random() * size.weeks * 6);
    const weeks = 2 + Math.floor(random() * 10);
    demand.push({
      id: `D${index}`,
      opportunityId: deal ? deal.id : `W${index % 3000}`,
      role: pick(roles),
      skill: random() < 0.5 ? pick(skills) : undefined,
      practice: pick(practices),
      hours: weeks * (8 + Math.floor(random() * 32)),
      start: isoDate(from),
      end: isoDate(from + weeks * 7 - 3),
      probability: deal ? deal.probability : 100,
      layer: pipeline ? 'pipeline' : 'confirmed',
      status: pipeline ? 'Open' : random() < 0.5 ? 'Filled' : 'Open'
    });
  }
  const assignments: AssignmentInput[] = [];
  for (let index = 0; index < size.demandLines / 5; index++) {
    const line = demand[Math.floor(random() * demand.length)]!;
    const internal = random() < 0.2;
    assignments.push({
      id: `A${index}`,
      resourceId: `R${Math.floor(random() * size.resources)}`,
      demandId: internal ? undefined : line.id,
      hoursPerWeek: pick([8, 16, 20, 40]),
      start: line.start,
      end: line.end,
      booking: internal ? pick<'Soft' | 'Hard'>(['Soft', 'Hard']) : line.layer === 'confirmed' ? 'Hard' : 'Soft'
    });
  }
  return { asOf, horizonWeeks: size.weeks, roles, resources, holidays, timeOff, demand, assignments, opportunities };
}
