import { ROLES, SKILLS, type Location, type Practice, type Role, type Skill, type TimeOffType } from './catalog';
import { addDays, isWeekend, mondayOf, type IsoDate } from './dates';
import { FIRST_NAMES, LAST_NAMES } from './names';
import type { Prng } from './prng';
import { RefIds, refTo, type ResourceRecord, type TimeOffRecord } from './types';

/** The firm's people (Resource__c) and their time off (Time_Off__c). */

/** Resources per role in the small firm (40); the large firm scales these by 50 (2,000). */
const ROLE_COUNTS: Readonly<Record<Role, number>> = {
  'Engagement Manager': 4,
  'Solution Architect': 3,
  'Technical Architect': 4,
  Developer: 10,
  'Business Analyst': 4,
  'QA Engineer': 4,
  'Data Engineer': 4,
  'Change Manager': 2,
  Trainer: 2,
  'Project Coordinator': 3
};

/**
 * The small firm's joiners and leavers, by role and week (0 = the week of `today`). Each applies to the last
 * resource of its role not moved yet. No Data Engineer or Trainer is missing in weeks 3-8 (the planted shortages
 * are about demand); the fourth Data Engineer joins in week 10, after the crunch.
 */
const SMALL_MOVES: readonly { role: Role; joinsInWeek?: number; leavesAfterWeek?: number }[] = [
  { role: 'Data Engineer', joinsInWeek: 10 },
  { role: 'Developer', joinsInWeek: 4 },
  { role: 'Business Analyst', joinsInWeek: 6 },
  { role: 'Developer', leavesAfterWeek: 5 },
  { role: 'QA Engineer', leavesAfterWeek: 12 },
  { role: 'Project Coordinator', leavesAfterWeek: 2 }
];

const SKILLS_BY_ROLE: Readonly<Record<Role, readonly Skill[]>> = {
  'Engagement Manager': ['Agile Delivery', 'Sales Cloud', 'Service Cloud', 'Change Management'],
  'Solution Architect': ['Sales Cloud', 'Service Cloud', 'Experience Cloud', 'MuleSoft', 'CPQ', 'Marketing Cloud'],
  'Technical Architect': ['Apex', 'Lightning Web Components', 'MuleSoft', 'Data Migration', 'Experience Cloud'],
  Developer: [
    'Apex',
    'Lightning Web Components',
    'MuleSoft',
    'Experience Cloud',
    'CPQ',
    'Sales Cloud',
    'Service Cloud'
  ],
  'Business Analyst': ['Sales Cloud', 'Service Cloud', 'CPQ', 'Agile Delivery', 'Marketing Cloud'],
  'QA Engineer': ['Apex', 'Agile Delivery', 'Sales Cloud', 'Service Cloud'],
  'Data Engineer': ['Data Migration', 'Tableau', 'MuleSoft'],
  'Change Manager': ['Change Management', 'Agile Delivery'],
  Trainer: ['Sales Cloud', 'Service Cloud', 'Change Management', 'Experience Cloud'],
  'Project Coordinator': ['Agile Delivery']
};

const PRACTICES_BY_ROLE: Readonly<Record<Role, readonly Practice[]>> = {
  'Engagement Manager': ['CRM', 'Advisory'],
  'Solution Architect': ['CRM', 'Integration'],
  'Technical Architect': ['CRM', 'Integration'],
  Developer: ['CRM'],
  'Business Analyst': ['CRM', 'Advisory'],
  'QA Engineer': ['CRM'],
  'Data Engineer': ['Data & Analytics'],
  'Change Manager': ['Advisory'],
  Trainer: ['Advisory'],
  'Project Coordinator': ['CRM', 'Data & Analytics', 'Integration', 'Advisory']
};

const LOCATION_WEIGHTS: Readonly<Record<Location, number>> = { London: 4, 'New York': 3, Berlin: 2, Remote: 1 };
const PART_TIME_HOURS = [20, 24, 30] as const;
/**
 * Part-timers' weeks: 20 h on Tuesday to Thursday, 24 h on Monday to Wednesday (8 h days), 30 h on Monday to
 * Thursday (7.5 h days). Derived from the hours, so the generator draws no extra random numbers.
 */
const PART_TIME_DAYS: Readonly<Record<number, string>> = {
  20: 'Tuesday;Wednesday;Thursday',
  24: 'Monday;Tuesday;Wednesday',
  30: 'Monday;Tuesday;Wednesday;Thursday'
};

export function generateResources(prng: Prng, size: 'small' | 'large', today: IsoDate): ResourceRecord[] {
  const scale = size === 'small' ? 1 : 50;
  const monday = mondayOf(today);
  const refs = new RefIds('Resource__c');
  const names = new Set<string>();
  const resources: ResourceRecord[] = [];
  for (const role of ROLES) {
    for (let i = 0; i < ROLE_COUNTS[role] * scale; i++) {
      let name: string;
      do name = `${prng.pick(FIRST_NAMES)} ${prng.pick(LAST_NAMES)}`;
      while (names.has(name));
      names.add(name);
      const skills = prng.sample(SKILLS_BY_ROLE[role], prng.int(1, Math.min(3, SKILLS_BY_ROLE[role].length)));
      const practice =
        role === 'Developer' && skills.includes('MuleSoft') ? 'Integration' : prng.pick(PRACTICES_BY_ROLE[role]);
      const resource: ResourceRecord = {
        referenceId: refs.next(),
        Name: name,
        Primary_Role__c: role,
        Skills__c: SKILLS.filter((skill) => skills.includes(skill)).join(';'),
        Weekly_Capacity_Hours__c: prng.chance(0.15) ? prng.pick(PART_TIME_HOURS) : 40,
        Practice__c: practice,
        Location__c: prng.weighted(LOCATION_WEIGHTS),
        Active_From__c: addDays(monday, -7 * prng.int(4, 400))
      };
      const workingDays = PART_TIME_DAYS[resource.Weekly_Capacity_Hours__c];
      if (workingDays) resource.Working_Days__c = workingDays;
      if (size === 'large' && prng.chance(0.04)) resource.Active_From__c = addDays(monday, 7 * prng.int(1, 30));
      else if (size === 'large' && prng.chance(0.04)) resource.Active_To__c = addDays(monday, 7 * prng.int(1, 40) + 4);
      resources.push(resource);
    }
  }
  if (size === 'small') {
    const moved = new Set<ResourceRecord>();
    for (const move of SMALL_MOVES) {
      const resource = resources.filter((other) => other.Primary_Role__c === move.role && !moved.has(other)).pop()!;
      moved.add(resource);
      if (move.joinsInWeek !== undefined) resource.Active_From__c = addDays(monday, 7 * move.joinsInWeek);
      if (move.leavesAfterWeek !== undefined) resource.Active_To__c = addDays(monday, 7 * move.leavesAfterWeek + 4);
    }
  }
  return resources;
}

const TIME_OFF_WEIGHTS: Readonly<Record<TimeOffType, number>> = { Vacation: 6, Sick: 1.5, Training: 1.5, Other: 1 };

/** Vacations, sick days, training and other absences from two weeks ago to twenty weeks ahead. */
export function generateTimeOff(
  prng: Prng,
  resources: readonly ResourceRecord[],
  count: number,
  today: IsoDate
): TimeOffRecord[] {
  const refs = new RefIds('Time_Off__c');
  const monday = mondayOf(today);
  const entries: TimeOffRecord[] = [];
  while (entries.length < count) {
    const resource = prng.pick(resources);
    const type = prng.weighted(TIME_OFF_WEIGHTS);
    // sick leave is only known once it happened
    const week = type === 'Sick' ? prng.int(-2, -1) : prng.int(-2, 20);
    const start = addDays(monday, 7 * week + prng.int(0, 4));
    const workdays = { Vacation: prng.int(1, 10), Sick: prng.int(1, 3), Training: prng.int(1, 2), Other: 1 }[type];
    const end = addWorkdays(start, workdays - 1);
    if (start < resource.Active_From__c || (resource.Active_To__c && end > resource.Active_To__c)) continue;
    const partDay = (type === 'Training' || type === 'Other') && prng.chance(0.5);
    entries.push({
      referenceId: refs.next(),
      Resource__c: refTo(resource.referenceId),
      Start_Date__c: start,
      End_Date__c: end,
      ...(partDay ? { Hours_Per_Day__c: 4 } : {}),
      Type__c: type
    });
  }
  return entries;
}

function addWorkdays(start: IsoDate, workdays: number): IsoDate {
  let day = start;
  for (let left = workdays; left > 0;) {
    day = addDays(day, 1);
    if (!isWeekend(day)) left--;
  }
  return day;
}
