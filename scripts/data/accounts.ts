import { CONTACT_TITLES, COMPANY_PREFIXES, COMPANY_SUFFIXES, FIRST_NAMES, LAST_NAMES } from './names';
import type { Prng } from './prng';
import { RefIds, refTo, type AccountRecord, type ContactRecord, type Ref } from './types';

/** Clients: parent accounts with their subsidiaries (ParentId), standalone accounts, two contacts each. */

interface ClientSpec {
  readonly name: string;
  readonly industry: string;
  readonly city: string;
  readonly country: string;
  readonly employees: number;
  readonly children?: readonly ClientSpec[];
}

const UK = 'United Kingdom';
const US = 'United States';
const DE = 'Germany';

/** The small firm's twelve clients: three groups with subsidiaries and two standalone companies. */
const SMALL_CLIENTS: readonly ClientSpec[] = [
  {
    name: 'Northwind Holdings',
    industry: 'Retail',
    city: 'London',
    country: UK,
    employees: 42000,
    children: [
      { name: 'Northwind Retail UK', industry: 'Retail', city: 'Manchester', country: UK, employees: 18000 },
      { name: 'Northwind Logistics', industry: 'Other', city: 'Hamburg', country: DE, employees: 6500 }
    ]
  },
  {
    name: 'Contoso Group',
    industry: 'Finance',
    city: 'New York',
    country: US,
    employees: 65000,
    children: [
      { name: 'Contoso Bank', industry: 'Banking', city: 'New York', country: US, employees: 30000 },
      { name: 'Contoso Insurance', industry: 'Insurance', city: 'Hartford', country: US, employees: 12000 },
      { name: 'Contoso Wealth', industry: 'Finance', city: 'Boston', country: US, employees: 2400 }
    ]
  },
  {
    name: 'Fabrikam Industries',
    industry: 'Manufacturing',
    city: 'Munich',
    country: DE,
    employees: 38000,
    children: [
      { name: 'Fabrikam Automotive', industry: 'Manufacturing', city: 'Stuttgart', country: DE, employees: 21000 },
      { name: 'Fabrikam Energy', industry: 'Energy', city: 'Berlin', country: DE, employees: 4800 }
    ]
  },
  { name: 'Tailspin Health', industry: 'Healthcare', city: 'London', country: UK, employees: 9000 },
  { name: 'Litware Media', industry: 'Media', city: 'New York', country: US, employees: 3200 }
];

const CITIES: readonly (readonly [string, string])[] = [
  ['London', UK],
  ['Manchester', UK],
  ['New York', US],
  ['Chicago', US],
  ['Boston', US],
  ['Berlin', DE],
  ['Munich', DE],
  ['Hamburg', DE]
];
const INDUSTRY_BY_SUFFIX: Readonly<Record<string, string>> = {
  Bank: 'Banking',
  Insurance: 'Insurance',
  Capital: 'Finance',
  Retail: 'Retail',
  Foods: 'Retail',
  Energy: 'Energy',
  Utilities: 'Energy',
  Health: 'Healthcare',
  Pharma: 'Healthcare',
  Media: 'Media',
  Telecom: 'Telecommunications',
  Software: 'Technology',
  Education: 'Education',
  Manufacturing: 'Manufacturing',
  Motors: 'Manufacturing',
  Chemicals: 'Manufacturing'
};

/** The large firm's clients: `groups` parents with two subsidiaries each, then standalone companies. */
function largeClients(prng: Prng, groups: number, standalone: number): ClientSpec[] {
  let index = 0;
  const next = (): ClientSpec => {
    const prefix = COMPANY_PREFIXES[index % COMPANY_PREFIXES.length];
    const suffix = COMPANY_SUFFIXES[Math.floor(index / COMPANY_PREFIXES.length) % COMPANY_SUFFIXES.length];
    index++;
    const [city, country] = prng.pick(CITIES);
    const industry = INDUSTRY_BY_SUFFIX[suffix] ?? 'Other';
    return { name: `${prefix} ${suffix}`, industry, city, country, employees: prng.int(2, 800) * 100 };
  };
  const clients: ClientSpec[] = [];
  for (let group = 0; group < groups; group++) {
    const parent = next();
    clients.push({ ...parent, name: `${parent.name} Holdings`, children: [next(), next()] });
  }
  for (let i = 0; i < standalone; i++) clients.push(next());
  return clients;
}

export interface Client {
  readonly ref: Ref<'Account'>;
  readonly name: string;
  readonly isParent: boolean;
}

export interface Clients {
  readonly accounts: AccountRecord[];
  readonly contacts: ContactRecord[];
  readonly clients: Client[];
}

/** Parents come first in `accounts`, so every ParentId points to an earlier record. */
export function generateClients(prng: Prng, size: 'small' | 'large'): Clients {
  const specs = size === 'small' ? SMALL_CLIENTS : largeClients(prng, 80, 160);
  const accountRefs = new RefIds('Account');
  const contactRefs = new RefIds('Contact');
  const accounts: AccountRecord[] = [];
  const clients: Client[] = [];
  const account = (spec: ClientSpec, parent?: Ref<'Account'>): AccountRecord => {
    const record: AccountRecord = {
      referenceId: accountRefs.next(),
      Name: spec.name,
      ...(parent ? { ParentId: parent } : {}),
      Type: size === 'large' && prng.chance(0.2) ? 'Prospect' : 'Customer - Direct',
      Industry: spec.industry,
      BillingCity: spec.city,
      BillingCountry: spec.country,
      Website: `https://www.${slug(spec.name)}.example.com`,
      NumberOfEmployees: spec.employees
    };
    accounts.push(record);
    clients.push({ ref: refTo(record.referenceId), name: record.Name, isParent: Boolean(spec.children?.length) });
    return record;
  };
  const parents = specs.map((spec) => ({ spec, record: account(spec) }));
  for (const { spec, record } of parents) {
    for (const child of spec.children ?? []) account(child, refTo(record.referenceId));
  }

  const contacts: ContactRecord[] = [];
  for (const record of accounts) {
    const [first, second] = prng.sample(CONTACT_TITLES, 2);
    for (const title of [first, second]) {
      const firstName = prng.pick(FIRST_NAMES);
      const lastName = prng.pick(LAST_NAMES);
      contacts.push({
        referenceId: contactRefs.next(),
        AccountId: refTo(record.referenceId),
        FirstName: firstName,
        LastName: lastName,
        Title: title,
        Email: `${firstName}.${lastName}@${slug(record.Name)}.example.com`.toLowerCase()
      });
    }
  }
  return { accounts, contacts, clients };
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '');
}
