"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CONTACT_TITLES = exports.COMPANY_SUFFIXES = exports.COMPANY_PREFIXES = exports.LAST_NAMES = exports.FIRST_NAMES = void 0;
/**
 * Name lists. Person names are /^[A-Z][a-z]+$/ and no first name starts another (a proper prefix), so
 * "First Last" sorts the same under SOQL's ORDER BY Name (case-insensitive, locale collation) and under a plain
 * code-unit sort: assign-resources.apex and assignments.ts walk resources in the same order.
 */
const words = (text) => text.trim().split(/\s+/);
exports.FIRST_NAMES = words(`
  Amara Bilal Chiara Dmitri Elif Farah Gustavo Hannah Ines Jonas Kwame Leila Mateo Nadia Oskar Priya Quentin
  Rosa Samir Tomasz Ulrike Viktor Wanjiru Xavier Yusuf Zofia Aiko Bruno Carmen Diego Emeka Freya Greta Hiro
  Ingrid Jamal Katya Lars Maeve Nikhil Olga Pavel Rahul Sofia Tariq Ursula Valentina Wei Yara Zainab
`);
exports.LAST_NAMES = words(`
  Okafor Lindqvist Moreau Tanaka Haddad Novak Ferreira Schmidt Kowalski Mensah Rossi Nakamura Petrov Andersen
  Castillo Dubois Eriksen Fischer Garcia Hansen Ibrahim Jensen Kim Larsen Martins Nguyen Osei Patel Quinn Reyes
  Sato Torres Uchenna Vargas Weber Yilmaz Zhang Abbott Bianchi Chen Davies Evans Fontaine Grant Hughes Iyer
  Jovanovic Khan Lopez Murphy
`);
/** Company name parts for the large firm's generated clients. */
exports.COMPANY_PREFIXES = words(`
  Alder Beacon Cobalt Delta Ember Fjord Granite Harbor Iris Juniper Kestrel Lumen Meridian Nimbus Orchid
  Pinnacle Quarry Redwood Summit Tidal Umber Vertex Willow Xenon Yonder Zephyr Atlas Birch Cedar Dune Evergreen
  Falcon Glacier Helix Indigo Jasper Keystone Lark Maple Nova
`);
exports.COMPANY_SUFFIXES = words(`
  Bank Insurance Retail Logistics Energy Health Media Manufacturing Telecom Software Capital Foods Pharma
  Airlines Utilities Education Motors Hotels Chemicals Partners
`);
exports.CONTACT_TITLES = [
    'Chief Information Officer',
    'Head of Sales Operations',
    'VP Customer Service',
    'Chief Financial Officer',
    'Head of IT Delivery',
    'CRM Product Owner',
    'Procurement Manager',
    'Chief Operating Officer'
];
