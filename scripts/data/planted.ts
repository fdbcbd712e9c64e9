import type { Client } from './accounts';
import type { ProductCode, Role } from './catalog';
import { addDays, addWeeks, mondayOf, type IsoDate } from './dates';
import type { Deal } from './deals';

/**
 * Capacity shortages planted in the small firm, so a forecast has something to show. Weeks count from the week of
 * `today` (week 0, Monday to Sunday). Six deals won in the last fortnight (below) create, through the demand
 * templates:
 *
 * - Data Engineer, weeks 3-8: two Data Migrations of 16 units (40 h/unit over 4 weeks = 160 h/week each), one from
 *   week 3, one from week 5: 160 h in weeks 3-4 and 7-8, 320 h in weeks 5-6, against at most 120 h (three Data
 *   Engineers; the fourth joins in week 10).
 * - Trainer, weeks 3-8: one 12-day Training Day line (96 h within its week) in each of weeks 3 to 8, against at
 *   most 80 h (two Trainers).
 *
 * Confirmed (won) demand alone exceeds nominal capacity, before time off and holidays (Christmas falls in these
 * weeks when `today` is late November), so the shortage shows in any forecast, weighted or not.
 */
export interface PlantedShortage {
  readonly role: Role;
  readonly fromWeek: number;
  readonly toWeek: number;
}

export const PLANTED_SHORTAGES: readonly PlantedShortage[] = [
  { role: 'Data Engineer', fromWeek: 3, toWeek: 8 },
  { role: 'Trainer', fromWeek: 3, toWeek: 8 }
];

interface PlantedDeal {
  readonly client: string;
  readonly title: string;
  readonly practice: Deal['practice'];
  readonly billingType: Deal['billingType'];
  readonly items: readonly { code: ProductCode; quantity: number; week: number }[];
}

const PLANTED_DEALS: readonly PlantedDeal[] = [
  {
    client: 'Contoso Bank',
    title: 'Core Banking Data Migration',
    practice: 'Data & Analytics',
    billingType: 'Fixed Fee',
    items: [
      { code: 'HO-DISC', quantity: 3, week: 1 },
      { code: 'HO-DATA', quantity: 16, week: 3 },
      { code: 'HO-TRAIN', quantity: 12, week: 3 }
    ]
  },
  {
    client: 'Fabrikam Automotive',
    title: 'Dealer Data Platform',
    practice: 'Data & Analytics',
    billingType: 'Milestone',
    items: [
      { code: 'HO-DATA', quantity: 16, week: 5 },
      { code: 'HO-TRAIN', quantity: 12, week: 8 }
    ]
  },
  {
    client: 'Northwind Retail UK',
    title: 'Store Service Rollout',
    practice: 'CRM',
    billingType: 'Time & Materials',
    items: [
      { code: 'HO-IMPL', quantity: 2, week: 0 },
      { code: 'HO-TRAIN', quantity: 12, week: 4 }
    ]
  },
  {
    client: 'Contoso Insurance',
    title: 'Claims Agent Enablement',
    practice: 'Advisory',
    billingType: 'Fixed Fee',
    items: [
      { code: 'HO-CHG', quantity: 2, week: 3 },
      { code: 'HO-TRAIN', quantity: 12, week: 5 }
    ]
  },
  {
    client: 'Tailspin Health',
    title: 'Clinician Portal Training',
    practice: 'Advisory',
    billingType: 'Time & Materials',
    items: [{ code: 'HO-TRAIN', quantity: 12, week: 6 }]
  },
  {
    client: 'Litware Media',
    title: 'Sales Academy',
    practice: 'CRM',
    billingType: 'Fixed Fee',
    items: [{ code: 'HO-TRAIN', quantity: 12, week: 7 }]
  }
];

/** The planted deals as Closed Won deals, closed in the last two weeks. */
export function plantedDeals(clients: readonly Client[], today: IsoDate): Deal[] {
  const monday = mondayOf(today);
  return PLANTED_DEALS.map((planted, index) => {
    const client = clients.find((candidate) => candidate.name === planted.client);
    if (!client) throw new Error(`planted deal for unknown client ${planted.client}`);
    return {
      client,
      title: planted.title,
      stage: 'Closed Won',
      closeDate: addDays(today, -2 - 2 * index),
      practice: planted.practice,
      billingType: planted.billingType,
      type: 'Existing Customer - Upgrade',
      leadSource: 'Partner Referral',
      items: planted.items.map((item) => ({
        code: item.code,
        quantity: item.quantity,
        serviceDate: addWeeks(monday, item.week)
      }))
    };
  });
}
