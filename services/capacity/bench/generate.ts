import { isoDate, dayNumber } from '../src/engine/calendar';
import { mulberry32 } from '../src/engine/random';
import type { DemandInput, EngineInput, OpportunityInput, ResourceInput } from '../src/engine/types';

export interface FirmSize {
  resources: number;
  demandLines: number;
  openOpportunities: number;
  roles: number;
  weeks: number;
}

/** A deterministic synthetic firm for benchmarks: roles, people, holidays, time off, confirmed and pipeline demand. */
export function syntheticFirm(size: FirmSize, seed = 2026): EngineInput {
  const random = mulberry32(seed);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
  const asOf = '2026-11-23';
  const start = dayNumber(asOf);
  const roles = Array.from({ length: size.roles }, (_, index) => `Role ${index + 1}`);
  const skills = ['Apex', 'LWC', 'MuleSoft', 'Data Migration', 'CPQ', 'Tableau'];
  const locations = ['London', 'New York', 'Berlin', 'Remote'];
  const practices = ['CRM', 'Data & Analytics', 'Integration', 'Advisory'];

  const resources: ResourceInput[] = Array.from({ length: size.resources }, (_, index) => ({
    id: `R${index}`,
    role: roles[index % roles.length]!,
    skills: [pick(skills), pick(skills)],
    weeklyHours: pick([40, 40, 40, 37.5, 30, 20]),
    location: pick(locations),
    practice: pick(practices),
    activeFrom: random() < 0.05 ? isoDate(start + Math.floor(random() * 200)) : undefined,
    activeTo: random() < 0.05 ? isoDate(start + 200 + Math.floor(random() * 300)) : undefined
  }));
  const holidays = locations.flatMap((location) =>
    Array.from({ length: 10 }, () => ({ date: isoDate(start + Math.floor(random() * size.weeks * 7)), location }))
  );
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
  return { asOf, horizonWeeks: size.weeks, roles, resources, holidays, timeOff, demand, opportunities };
}
