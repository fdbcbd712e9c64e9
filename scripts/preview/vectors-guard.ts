import * as fs from 'node:fs';
import * as path from 'node:path';
import { listFiles } from '../check/paths';
import { FORCE_APP, controllerVectorFiles, readControllerVectors } from './vectors';

/**
 * The guard over controller vectors: every Apex class in force-app with an @AuraEnabled method has its vectors file
 * (force-app/main/<feature>/staticresources/<Controller>Vectors.json and its .resource-meta.xml), a
 * <Controller>VectorsTest with one caseNN method per case, and a case calling each of its @AuraEnabled methods; and
 * every preview twin in adapters.ts is exercised by a case the local org runs (not runAs).
 */

export interface Controller {
  name: string;
  file: string;
  /** The feature folder (force-app/main/<feature>). */
  featureDir: string;
  methods: string[];
}

const AURA_METHOD = /@AuraEnabled(?:\([^)]*\))?\s+(?:public|global)\s+static\s+[\w<>,. ]+?\s+(\w+)\s*\(/g;

/** Apex classes (not tests) declaring @AuraEnabled static methods. */
export function controllers(forceApp = FORCE_APP): Controller[] {
  return listFiles(forceApp, (name) => name.endsWith('.cls'))
    .map((file) => {
      const source = fs.readFileSync(file, 'utf8');
      return {
        name: path.basename(file, '.cls'),
        file,
        featureDir: path.dirname(path.dirname(file)),
        methods: /@IsTest/i.test(source) ? [] : [...source.matchAll(AURA_METHOD)].map((match) => match[1]!)
      };
    })
    .filter((controller) => controller.methods.length > 0)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** What is missing for each controller; empty when every controller is pinned by vectors in Apex and offline. */
export function vectorGaps(forceApp = FORCE_APP): string[] {
  const gaps: string[] = [];
  const apexFiles = listFiles(forceApp, (name) => name.endsWith('.cls'));
  for (const controller of controllers(forceApp)) {
    const json = path.join(controller.featureDir, 'staticresources', `${controller.name}Vectors.json`);
    const relative = path.relative(forceApp, json);
    if (!fs.existsSync(json)) {
      gaps.push(`${controller.name}: no vectors file force-app/${relative}`);
      continue;
    }
    if (!fs.existsSync(json.replace(/\.json$/, '.resource-meta.xml'))) {
      gaps.push(`${controller.name}: no ${controller.name}Vectors.resource-meta.xml beside its vectors`);
    }
    const vectors = readControllerVectors(json);
    if (vectors.controller !== controller.name) {
      gaps.push(`${controller.name}: its vectors file names controller "${vectors.controller}"`);
    }
    for (const method of controller.methods) {
      if (!vectors.cases.some((vector) => vector.call.method === method)) {
        gaps.push(`${controller.name}.${method}: no case calls it`);
      }
    }
    const testFile = apexFiles.find((file) => path.basename(file) === `${controller.name}VectorsTest.cls`);
    if (!testFile) {
      gaps.push(`${controller.name}: no ${controller.name}VectorsTest.cls`);
      continue;
    }
    const caseMethods = [...fs.readFileSync(testFile, 'utf8').matchAll(/static\s+void\s+case(\d+)\s*\(/g)].length;
    if (caseMethods !== vectors.cases.length) {
      gaps.push(
        `${controller.name}VectorsTest: ${caseMethods} caseNN methods for ${vectors.cases.length} cases in ${controller.name}Vectors.json`
      );
    }
  }
  return gaps;
}

/** Twins (`Class.method`) no vector runs against the local org. */
export function unexercisedTwins(twins: Iterable<string>, forceApp = FORCE_APP): string[] {
  const exercised = new Set(
    controllerVectorFiles(forceApp).flatMap((file) => {
      const vectors = readControllerVectors(file);
      return vectors.cases
        .filter((vector) => !vector.runAs)
        .map((vector) => `${vectors.controller}.${vector.call.method}`);
    })
  );
  return [...twins].filter((twin) => !exercised.has(twin)).sort();
}
