import * as path from 'node:path';
import { errorsOf, formatFinding, type Gate, type GateResult } from './gate';
import { GATES } from './gates';

/**
 * `npm test`: runs every offline gate over the project and ends with one line, `N passed, N failed`, counting
 * gates. `npm test -- --only xref,pmd` runs some of them.
 */
async function main(): Promise<number> {
  const root = path.resolve(__dirname, '..', '..');
  const onlyIndex = process.argv.indexOf('--only');
  const only = onlyIndex >= 0 ? new Set((process.argv[onlyIndex + 1] ?? '').split(',')) : undefined;
  const unknown = only ? [...only].filter((id) => !GATES.some((gate) => gate.id === id)) : [];
  if (unknown.length) {
    console.error(`unknown gate(s): ${unknown.join(', ')}; gates are ${GATES.map((gate) => gate.id).join(', ')}`);
    return 2;
  }
  const gates = GATES.filter((gate) => !only || only.has(gate.id));
  let passed = 0;
  let failed = 0;
  const started = Date.now();
  for (const gate of gates) {
    const outcome = await runGate(gate, root);
    if (outcome) passed++;
    else failed++;
  }
  console.log(`\nall gates: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

async function runGate(gate: Gate, root: string): Promise<boolean> {
  const started = Date.now();
  let result: GateResult | undefined;
  let crash: Error | undefined;
  try {
    result = await gate.run({ root });
  } catch (error) {
    crash = error instanceof Error ? error : new Error(String(error));
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const errors = result ? errorsOf(result) : [];
  const ok = !crash && errors.length === 0;
  const detail = crash ? 'could not run' : `${result!.checked}${errors.length ? `, ${errors.length} errors` : ''}`;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${gate.id.padEnd(10)} ${gate.title} (${detail}) ${seconds} s`);
  if (crash) console.log(`  ${crash.message}`);
  for (const finding of errors) console.log(`  ${formatFinding(finding)}`);
  // Warnings are listed, not failed: grouped by rule so a recurring advisory does not bury the errors.
  const warnings = new Map<string, string[]>();
  for (const finding of result?.findings ?? []) {
    if (finding.severity !== 'warning') continue;
    const where = [finding.file, finding.line].filter((part) => part !== undefined).join(':');
    warnings.set(finding.rule ?? 'warning', [
      ...(warnings.get(finding.rule ?? 'warning') ?? []),
      `${where} ${finding.message}`
    ]);
  }
  for (const [rule, places] of warnings) {
    console.log(
      `  warn  [${rule}] x${places.length}: ${places.slice(0, 3).join('; ')}${places.length > 3 ? '; ...' : ''}`
    );
  }
  return ok;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  }
);
