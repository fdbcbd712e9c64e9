/**
 * `npm start`: the main job. The local org (a stand-in for the Salesforce REST API) and the capacity service are
 * not built yet; until they are, this says what `npm start` will run.
 */
const steps = [
  'start the local org on a free 127.0.0.1 port (schema from force-app, data in .handoff/local-org)',
  'seed the demo firm if the local org is empty',
  'start the capacity service and run one forecast against the local org',
  'print the org URL, the `sf org login access-token` line, and a capacity summary'
];
console.log('Handoff: npm start will:');
for (const [index, step] of steps.entries()) console.log(`  ${index + 1}. ${step}`);
console.log('\nToday: run `npm test` for every offline gate, or see README "With a Salesforce org".');
