"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.generateClients = generateClients;
const names_1 = require("./names");
const types_1 = require("./types");
const UK = 'United Kingdom';
const US = 'United States';
const DE = 'Germany';
/** The small firm's twelve clients: three groups with subsidiaries and two standalone companies. */
const SMALL_CLIENTS = [
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
const CITIES = [
    ['London', UK],
    ['Manchester', UK],
    ['New York', US],
    ['Chicago', US],
    ['Boston', US],
    ['Berlin', DE],
    ['Munich', DE],
    ['Hamburg', DE]
];
const INDUSTRY_BY_SUFFIX = {
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
function largeClients(prng, groups, standalone) {
    let index = 0;
    const next = () => {
        const prefix = names_1.COMPANY_PREFIXES[index % names_1.COMPANY_PREFIXES.length];
        const suffix = names_1.COMPANY_SUFFIXES[Math.floor(index / names_1.COMPANY_PREFIXES.length) % names_1.COMPANY_SUFFIXES.length];
        index++;
        const [city, country] = prng.pick(CITIES);
        const industry = INDUSTRY_BY_SUFFIX[suffix] ?? 'Other';
        return { name: `${prefix} ${suffix}`, industry, city, country, employees: prng.int(2, 800) * 100 };
    };
    const clients = [];
    for (let group = 0; group < groups; group++) {
        const parent = next();
        clients.push({ ...parent, name: `${parent.name} Holdings`, children: [next(), next()] });
    }
    for (let i = 0; i < standalone; i++)
        clients.push(next());
    return clients;
}
/** Parents come first in `accounts`, so every ParentId points to an earlier record. */
function generateClients(prng, size) {
    const specs = size === 'small' ? SMALL_CLIENTS : largeClients(prng, 80, 160);
    const accountRefs = new types_1.RefIds('Account');
    const contactRefs = new types_1.RefIds('Contact');
    const accounts = [];
    const clients = [];
    const account = (spec, parent) => {
        const record = {
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
        clients.push({ ref: (0, types_1.refTo)(record.referenceId), name: record.Name, isParent: Boolean(spec.children?.length) });
        return record;
    };
    const parents = specs.map((spec) => ({ spec, record: account(spec) }));
    for (const { spec, record } of parents) {
        for (const child of spec.children ?? [])
            account(child, (0, types_1.refTo)(record.referenceId));
    }
    const contacts = [];
    for (const record of accounts) {
        const [first, second] = prng.sample(names_1.CONTACT_TITLES, 2);
        for (const title of [first, second]) {
            const firstName = prng.pick(names_1.FIRST_NAMES);
            const lastName = prng.pick(names_1.LAST_NAMES);
            contacts.push({
                referenceId: contactRefs.next(),
                AccountId: (0, types_1.refTo)(record.referenceId),
                FirstName: firstName,
                LastName: lastName,
                Title: title,
                Email: `${firstName}.${lastName}@${slug(record.Name)}.example.com`.toLowerCase()
            });
        }
    }
    return { accounts, contacts, clients };
}
function slug(name) {
    return name.toLowerCase().replace(/[^a-z0-9]+/g, '');
}
