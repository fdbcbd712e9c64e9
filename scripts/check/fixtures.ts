import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const FIXTURES = path.join(__dirname, 'fixtures');

/**
 * Copies the clean fixture project into a temporary folder and applies `plant` to it, so each test plants
 * exactly one defect into an otherwise passing project. Returns the folder; call `dispose` when done.
 */
export function plantedProject(
  plant: (write: (file: string, text: string) => void, remove: (file: string) => void) => void
): {
  root: string;
  dispose: () => void;
} {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-gate-'));
  fs.cpSync(path.join(FIXTURES, 'clean'), root, { recursive: true });
  plant(
    (file, text) => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    },
    (file) => fs.rmSync(path.join(root, file))
  );
  return { root, dispose: () => fs.rmSync(root, { recursive: true, force: true }) };
}

export const CLASSES = 'force-app/main/default/classes';
export const WIDGET = 'force-app/main/default/objects/Widget__c';
export const LWC = 'force-app/main/default/lwc';
