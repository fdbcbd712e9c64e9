import type { SqlValue } from './database';

/** A record as stored: lower-cased column name -> column value. */
export type Row = Record<string, SqlValue>;

/**
 * What the platform itself does on standard objects, independent of the package: fields it derives on save, what
 * deleting a parent does to standard lookups, and the roll-ups it keeps. Custom objects get none of this; their
 * behaviour comes from metadata (delete constraints) and, later, the automation engine's hooks.
 */
export interface DeriveInput {
  row: Row;
  old: Row | undefined;
  /** Columns the caller set explicitly in this write. */
  provided: Set<string>;
  now: Date;
}

type Derive = (input: DeriveInput) => void;

const fullName = ({ row }: DeriveInput) => {
  const name = [row.firstname, row.lastname].filter((part) => part !== null && part !== undefined && part !== '');
  row.name = name.length ? name.join(' ') : null;
};

/** Default probability and forecast category per standard opportunity stage (a new org's sales process). */
const STAGES: Record<string, [number, string]> = {
  prospecting: [10, 'Pipeline'],
  qualification: [10, 'Pipeline'],
  'needs analysis': [20, 'Pipeline'],
  'value proposition': [50, 'Pipeline'],
  'id. decision makers': [60, 'Pipeline'],
  'perception analysis': [70, 'Pipeline'],
  'proposal/price quote': [75, 'Pipeline'],
  'negotiation/review': [90, 'Pipeline'],
  'closed won': [100, 'Closed'],
  'closed lost': [0, 'Omitted']
};

const opportunity: Derive = ({ row, old, provided, now }) => {
  const stage = typeof row.stagename === 'string' ? row.stagename : '';
  const stageChanged = !old || old.stagename !== row.stagename;
  const defaults = STAGES[stage.toLowerCase()];
  if (stageChanged && defaults) {
    if (!provided.has('probability')) row.probability = defaults[0];
    if (!provided.has('forecastcategoryname')) row.forecastcategoryname = defaults[1];
  }
  if (stageChanged) row.laststagechangedate = now.toISOString();
  row.isclosed = /^closed (won|lost)$/i.test(stage) ? 1 : 0;
  row.iswon = /^closed won$/i.test(stage) ? 1 : 0;
  const amount = typeof row.amount === 'number' ? row.amount : null;
  const probability = typeof row.probability === 'number' ? row.probability : null;
  row.expectedrevenue = amount === null || probability === null ? null : (amount * probability) / 100;
  const close = typeof row.closedate === 'string' ? row.closedate : null;
  row.fiscalyear = close ? Number(close.slice(0, 4)) : null;
  row.fiscalquarter = close ? Math.floor((Number(close.slice(5, 7)) - 1) / 3) + 1 : null;
  if (!old) row.hasopportunitylineitem = row.hasopportunitylineitem ?? 0;
};

const lineItem: Derive = ({ row, provided }) => {
  const quantity = typeof row.quantity === 'number' ? row.quantity : null;
  if (quantity === null) return;
  if (provided.has('totalprice') && !provided.has('unitprice') && typeof row.totalprice === 'number') {
    row.unitprice = quantity === 0 ? 0 : row.totalprice / quantity;
  }
  if (typeof row.unitprice === 'number') {
    const discount = typeof row.discount === 'number' ? row.discount : 0;
    row.subtotal = quantity * row.unitprice;
    row.totalprice = row.subtotal * (1 - discount / 100);
  }
};

export const DERIVED_FIELDS: Record<string, Derive> = {
  contact: fullName,
  user: fullName,
  opportunity,
  opportunitylineitem: lineItem
};

/** What deleting the parent does to standard lookups the metadata cannot say (default: clear the lookup). */
export const STANDARD_DELETE_RULES: Record<string, 'Cascade' | 'Restrict'> = {
  'contact.accountid': 'Cascade',
  'opportunity.accountid': 'Cascade',
  'opportunitylineitem.opportunityid': 'Cascade',
  'opportunityhistory.opportunityid': 'Cascade',
  'opportunitylineitem.pricebookentryid': 'Restrict',
  'pricebookentry.product2id': 'Cascade',
  'pricebookentry.pricebook2id': 'Cascade',
  'permissionsetassignment.permissionsetid': 'Cascade',
  'permissionsetassignment.assigneeid': 'Cascade'
};

/** Roll-ups the platform keeps on a standard parent when children change: `child object -> rule`. */
export interface RollUp {
  parentObject: string;
  childField: string;
  /** SQL over the child table, given the parent id as the only parameter; returns the parent's new columns. */
  sql: string;
}

export const STANDARD_ROLL_UPS: Record<string, RollUp> = {
  opportunitylineitem: {
    parentObject: 'Opportunity',
    childField: 'opportunityid',
    sql: 'SELECT SUM("totalprice") AS "amount", COUNT(*) > 0 AS "hasopportunitylineitem" FROM "o_opportunitylineitem" WHERE "opportunityid" = ? AND "isdeleted" = 0'
  }
};

/** Opportunity.ForecastCategoryName (label) -> OpportunityHistory.ForecastCategory (API name). */
const FORECAST_CATEGORY: Record<string, string> = {
  omitted: 'Omitted',
  pipeline: 'Pipeline',
  'best case': 'BestCase',
  commit: 'Forecast',
  closed: 'Closed'
};

/** Opportunity columns whose change writes an OpportunityHistory row. */
const HISTORY_TRACKED = ['stagename', 'amount', 'probability', 'closedate', 'forecastcategoryname'];

/**
 * The OpportunityHistory row the platform writes for an opportunity saved as `row` (after the change) over `old`
 * (absent on insert): one on every insert and on every update that changes Amount, Probability, StageName,
 * CloseDate or the forecast category, holding the values after the change (Object Reference, "OpportunityHistory":
 * a new record is generated when any of these fields changes; nothing when none does). API-named values; undefined
 * when nothing tracked changed.
 */
export function opportunityHistoryRow(row: Row, old: Row | undefined): Record<string, SqlValue> | undefined {
  if (old && HISTORY_TRACKED.every((column) => (old[column] ?? null) === (row[column] ?? null))) return undefined;
  const category = typeof row.forecastcategoryname === 'string' ? row.forecastcategoryname.toLowerCase() : '';
  return {
    OpportunityId: row.id ?? null,
    StageName: row.stagename ?? null,
    Amount: row.amount ?? null,
    Probability: row.probability ?? null,
    CloseDate: row.closedate ?? null,
    ExpectedRevenue: row.expectedrevenue ?? null,
    ForecastCategory: FORECAST_CATEGORY[category] ?? null,
    PrevAmount: old ? (old.amount ?? null) : null,
    PrevCloseDate: old ? (old.closedate ?? null) : null
  };
}

/** Standard objects whose history rows the platform writes on save: `object -> history row of a save`. */
export const HISTORY_ROWS: Record<string, { historyObject: string; rowOf: typeof opportunityHistoryRow }> = {
  opportunity: { historyObject: 'OpportunityHistory', rowOf: opportunityHistoryRow }
};
