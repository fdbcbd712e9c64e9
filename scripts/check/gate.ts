/**
 * The contract every offline gate keeps: it inspects a project folder and reports findings with a file and,
 * where the tool knows it, a line. A gate fails when any finding is an error; warnings are listed only.
 */
export type Severity = 'error' | 'warning';

export interface Finding {
  /** Path relative to the project root, with forward slashes. */
  file: string;
  line?: number;
  column?: number;
  message: string;
  /** The rule or check that produced the finding, e.g. `pmd:ApexCRUDViolation` or `xref:soql-field`. */
  rule?: string;
  severity: Severity;
}

export interface GateResult {
  findings: Finding[];
  /** One short line on what was checked, e.g. `41 files` or `12 suites, 57 tests`. */
  checked: string;
}

export interface GateContext {
  /** Absolute path of the Salesforce DX project to check (the folder holding sfdx-project.json). */
  root: string;
}

export interface Gate {
  id: string;
  title: string;
  run(context: GateContext): Promise<GateResult>;
}

export function errorsOf(result: GateResult): Finding[] {
  return result.findings.filter((finding) => finding.severity === 'error');
}

export function formatFinding(finding: Finding): string {
  const where = [finding.file, finding.line, finding.column].filter((part) => part !== undefined).join(':');
  const rule = finding.rule ? ` [${finding.rule}]` : '';
  return `${finding.severity === 'error' ? 'error' : 'warn '} ${where} ${finding.message}${rule}`;
}
