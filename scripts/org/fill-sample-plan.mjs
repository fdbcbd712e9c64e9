#!/usr/bin/env node
// Copies an `sf data import tree` plan (plan.json and the files it names) to another directory, filling in the
// values only the target org knows. scripts/data writes them as placeholders:
//   @@STANDARD_PRICEBOOK_ID@@  the standard price book's Id (PricebookEntry and Opportunity.Pricebook2Id)
//   @@DELIVERY_LEAD_ID@@       a user's Id (Opportunity.Delivery_Lead__c)
//
// Usage: node scripts/org/fill-sample-plan.mjs <plan-dir> <out-dir> <standard-pricebook-id> <delivery-lead-id>
// Exit codes: 0 copied, 1 a placeholder is left over, 3 bad arguments or unreadable plan.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const [planDir, outDir, pricebookId, deliveryLeadId] = process.argv.slice(2);

/** A 15- or 18-character Salesforce Id with the given key prefix. */
function isId(value, prefix) {
  return typeof value === 'string' && /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(value) && value.startsWith(prefix);
}

function fail(code, message) {
  console.error(`fill-sample-plan: ${message}`);
  process.exit(code);
}

if (!planDir || !outDir) {
  fail(3, 'usage: node scripts/org/fill-sample-plan.mjs <plan-dir> <out-dir> <pricebook-id> <delivery-lead-id>');
}
if (!isId(pricebookId, '01s')) fail(3, `not a Pricebook2 Id: "${pricebookId ?? ''}"`);
if (!isId(deliveryLeadId, '005')) fail(3, `not a User Id: "${deliveryLeadId ?? ''}"`);

const values = {
  '@@STANDARD_PRICEBOOK_ID@@': pricebookId,
  '@@DELIVERY_LEAD_ID@@': deliveryLeadId
};

let plan;
try {
  plan = JSON.parse(readFileSync(join(planDir, 'plan.json'), 'utf8'));
} catch (error) {
  fail(3, `cannot read ${join(planDir, 'plan.json')}: ${error.message}`);
}
const files = plan.flatMap((step) => step.files ?? []);

mkdirSync(outDir, { recursive: true });
copyFileSync(join(planDir, 'plan.json'), join(outDir, 'plan.json'));
const filled = {};
for (const file of files) {
  let text = readFileSync(join(planDir, file), 'utf8');
  for (const [placeholder, value] of Object.entries(values)) {
    const parts = text.split(placeholder);
    if (parts.length > 1) filled[placeholder] = (filled[placeholder] ?? 0) + parts.length - 1;
    text = parts.join(value);
  }
  const left = /@@[A-Z_]+@@/.exec(text);
  if (left) fail(1, `${file} still holds the placeholder ${left[0]}, which this script does not know`);
  mkdirSync(dirname(join(outDir, file)), { recursive: true });
  writeFileSync(join(outDir, file), text);
}
const summary = Object.entries(filled).map(([placeholder, count]) => `${placeholder} x${count}`);
console.log(`Copied ${basename(planDir)} plan (${files.length} files) with ${summary.join(', ') || 'no placeholders'}`);
