import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CodeAnalyzer,
  CodeAnalyzerConfig,
  EventType,
  LogLevel,
  SeverityLevel,
  type EngineLogEvent,
  type LogEvent,
  type Violation
} from '@salesforce/code-analyzer-core';
import { createEnginePlugin } from '@salesforce/code-analyzer-pmd-engine';
import type { Finding, Gate, GateResult } from '../gate';
import { listFiles, packageDirectories, relative } from '../paths';

/**
 * PMD's Apex rule categories the gate runs. Error Prone is included: PMD's cost is the JVM start and the parse of
 * each file, which every rule shares, so its ~16 extra rules add well under a second, and it holds High rules worth
 * failing on (EmptyCatchBlock, OverrideBothEqualsAndHashcode, TypeShadowsBuiltInNamespace).
 */
const RULE_SELECTOR = 'pmd:(Security,Performance,BestPractices,ErrorProne):Apex';

/**
 * The project's own XPath rules for Apex traps PMD does not know (Limits read after Test.stopTest, DML, publishes and
 * custom notifications in loops, DML on a List<SObject> filled with mixed types). Code Analyzer tags a custom rule
 * with its ruleset's name, `Handoff`, which selects them.
 */
export const CUSTOM_RULESET = path.join(__dirname, '..', 'pmd', 'handoff-ruleset.xml');
const CUSTOM_SELECTOR = 'pmd:Handoff';

/**
 * Code Analyzer also tags its own AppExchange security-review rules (sfca/rulesets/AppExchange_apex.xml) `Security`.
 * They are not PMD's categories, so they are left out; drop this filter to run them too.
 */
const EXCLUDED_TAG = 'AppExchange';

/**
 * Project-wide tuning, kept narrow. OperationWithLimitsInLoop (SOQL, DML and other governor-limited calls inside a
 * loop) ships as Moderate; in Apex it is a production failure waiting for the 101st record, not a style point, so
 * here it fails the gate. A deliberate, bounded loop can say so with @SuppressWarnings('PMD.OperationWithLimitsInLoop').
 */
const RULE_OVERRIDES = {
  OperationWithLimitsInLoop: { severity: SeverityLevel.High }
};

/** Rules Code Analyzer substitutes when the engine cannot start or crashes; they carry no file. */
const ENGINE_ERROR_RULES = new Set(['UninstantiableEngineError', 'UnexpectedEngineError']);

export interface PmdGateOptions {
  /** Java executable for PMD; by default Code Analyzer looks at JAVA_HOME, JRE_HOME, JDK_HOME and then the PATH. */
  javaCommand?: string;
  /**
   * Folder in which each run makes (and then removes) its `pmd-gate-*` working folder; os.tmpdir() by default. A
   * caller that wants to see what its own runs left behind passes a folder of its own.
   */
  tempRoot?: string;
}

export function createPmdGate(options: PmdGateOptions = {}): Gate {
  return {
    id: 'pmd',
    title: 'PMD (Apex)',
    run: ({ root }) => runPmd(path.resolve(root), options)
  };
}

export const pmdGate: Gate = createPmdGate();

async function runPmd(root: string, options: PmdGateOptions): Promise<GateResult> {
  const apexFiles = packageDirectories(root).flatMap((dir) =>
    listFiles(dir, (name) => name.endsWith('.cls') || name.endsWith('.trigger'))
  );
  if (apexFiles.length === 0) return { findings: [], checked: '0 Apex files' };

  const workingFolder = fs.mkdtempSync(path.join(options.tempRoot ?? os.tmpdir(), 'pmd-gate-'));
  const exitHooksBefore = new Set(process.listeners('exit'));
  try {
    const analyzer = new CodeAnalyzer(
      CodeAnalyzerConfig.fromObject(
        {
          log_level: LogLevel.Error,
          root_working_folder: workingFolder,
          rules: { pmd: RULE_OVERRIDES },
          engines: {
            cpd: { disable_engine: true },
            pmd: {
              rule_languages: ['apex'],
              custom_rulesets: [CUSTOM_RULESET],
              ...(options.javaCommand ? { java_command: options.javaCommand } : {})
            }
          }
        },
        root
      )
    );
    // The analyzer registers an exit hook that deletes its temp folder; `finally` does that, so drop the hook rather
    // than pile one up per run.
    for (const hook of process.listeners('exit')) if (!exitHooksBefore.has(hook)) process.removeListener('exit', hook);

    // Nothing goes to stdout: errors are collected here and surface as findings or as a thrown Error.
    const errors: string[] = [];
    const collect = (event: LogEvent | EngineLogEvent): void => {
      if (event.logLevel === LogLevel.Error) errors.push(event.message);
    };
    analyzer.onEvent<LogEvent>(EventType.LogEvent, collect);
    analyzer.onEvent<EngineLogEvent>(EventType.EngineLogEvent, collect);

    await analyzer.addEnginePlugin(createEnginePlugin());
    if (!analyzer.getEngineNames().includes('pmd'))
      throw new Error(`PMD engine unavailable: ${errors.join('\n') || 'no reason given'}`);

    const workspace = await analyzer.createWorkspace(apexFiles);
    const candidates = await analyzer.selectRules([RULE_SELECTOR, CUSTOM_SELECTOR], { workspace });
    const ruleNames = candidates
      .getRulesFor('pmd')
      .filter((rule) => !rule.getTags().includes(EXCLUDED_TAG))
      .map((rule) => `pmd:${rule.getName()}`);
    if (ruleNames.length === 0) throw new Error(`PMD offered no Apex rules: ${errors.join('\n') || 'no reason given'}`);
    const selection = await analyzer.selectRules(ruleNames, { workspace });

    const results = await analyzer.run(selection, { workspace });
    const findings = results.getViolations().map((violation) => toFinding(root, violation));
    for (const message of errors) findings.push(processingErrorFinding(root, message));
    findings.sort(
      (a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)
    );
    return { findings, checked: `${apexFiles.length} Apex files, ${selection.getCount()} rules` };
  } finally {
    fs.rmSync(workingFolder, { recursive: true, force: true });
  }
}

function toFinding(root: string, violation: Violation): Finding {
  const rule = violation.getRule();
  const location = violation.getPrimaryLocation();
  const file = location.getFile();
  if (ENGINE_ERROR_RULES.has(rule.getName()) || file === undefined) {
    throw new Error(`PMD engine failed: ${violation.getMessage()}`);
  }
  const finding: Finding = {
    file: relative(root, file),
    message: violation.getMessage().trim(),
    rule: `pmd:${rule.getName()}`,
    severity: rule.getSeverityLevel() <= SeverityLevel.High ? 'error' : 'warning'
  };
  const line = location.getStartLine();
  const column = location.getStartColumn();
  if (line !== undefined) finding.line = line;
  if (column !== undefined) finding.column = column;
  return finding;
}

/**
 * PMD reports a file it cannot parse only as an error log event (`PMD issued a processing error for file '<path>':`),
 * and runs no rule on it, so the file becomes an error finding. Any other error event fails the gate outright.
 */
function processingErrorFinding(root: string, message: string): Finding {
  const match = /processing error for file '(.+?)':\n([\s\S]*)/.exec(message);
  if (!match) throw new Error(`PMD reported an error: ${message}`);
  const detail = match[2];
  const syntax = /Syntax error at (\d+):(\d+): ([^\n]*)/.exec(detail);
  const summary = (syntax ? syntax[3] : detail.trim().split('\n')[0]).trim();
  const finding: Finding = {
    file: relative(root, match[1]),
    message: `PMD could not parse this file: ${summary.length > 160 ? `${summary.slice(0, 157)}...` : summary}`,
    rule: 'pmd:ProcessingError',
    severity: 'error'
  };
  if (syntax) {
    finding.line = Number(syntax[1]);
    finding.column = Number(syntax[2]) + 1; // PMD's parser counts columns from 0 here, violations from 1.
  }
  return finding;
}
