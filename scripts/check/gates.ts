import type { Gate } from './gate';
import { apexLsGate } from './gates/apex-ls';
import { eslintGate } from './gates/eslint';
import { formulaGate } from './gates/formula';
import { lwcJestGate, nodeJestGate } from './gates/jest';
import { metadataGate } from './gates/metadata';
import { pmdGate } from './gates/pmd';
import { projectGate } from './gates/project';
import { prettierGate } from './gates/prettier';
import { tscGate } from './gates/tsc';
import { xrefGate } from './gates/xref';

/** Every offline gate of `npm test`, cheapest first so a broken file fails fast. */
export const GATES: Gate[] = [
  metadataGate,
  projectGate,
  prettierGate,
  xrefGate,
  formulaGate,
  apexLsGate,
  pmdGate,
  eslintGate,
  tscGate,
  lwcJestGate,
  nodeJestGate
];
