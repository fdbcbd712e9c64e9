import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { APEX_METHODS } from './adapters';
import { controllers, unexercisedTwins, vectorGaps } from './vectors-guard';

const CONTROLLER = `public with sharing class DemoController {
  @AuraEnabled(cacheable=true)
  public static List<String> getDemo(Id recordId) {
    return new List<String>();
  }
}`;
const vectorsOf = (cases: number) =>
  JSON.stringify({
    controller: 'DemoController',
    cases: Array.from({ length: cases }, (_, index) => ({
      name: `case ${index}`,
      call: { method: 'getDemo', args: {} },
      expect: { result: [] }
    }))
  });
const testOf = (cases: number) =>
  `@IsTest private class DemoControllerVectorsTest {\n${Array.from(
    { length: cases },
    (_, index) => `  @IsTest static void case0${index + 1}() { run(${index}); }`
  ).join('\n')}\n}`;

describe('the controller vectors guard', () => {
  let forceApp: string;
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(forceApp, file)), { recursive: true });
    fs.writeFileSync(path.join(forceApp, file), text);
  };
  beforeEach(() => {
    forceApp = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-vectors-guard-'));
    write('main/demo/classes/DemoController.cls', CONTROLLER);
  });
  afterEach(() => fs.rmSync(forceApp, { recursive: true, force: true }));

  it('finds every class with @AuraEnabled methods in force-app', () => {
    // Discovery finds each of these (features add controllers; the guard below holds every one found to its vectors).
    expect(controllers().map((controller) => controller.name)).toEqual(
      expect.arrayContaining([
        'BillingMilestonesController',
        'CapacityHeatmapController',
        'CapacityScenarioController',
        'ClientHierarchyController',
        'DealHandoffController',
        'DeliveryOutlookController',
        'EngagementSummaryController',
        'ForecastAccuracyController',
        'ForecastHealthController',
        'HandoffAlertsController',
        'HandoffController',
        'IntegrationOutboxController',
        'StaffingRecommendationController'
      ])
    );
    expect(controllers().find((controller) => controller.name === 'HandoffController')?.methods).toEqual([
      'getHandoff',
      'updateChecklistItem'
    ]);
  });

  it('finds every controller of force-app pinned by vectors, and every twin run by one offline', () => {
    expect(vectorGaps()).toEqual([]);
    expect(unexercisedTwins(APEX_METHODS.keys())).toEqual([]);
  });

  it('catches a new controller without vectors or without its VectorsTest', () => {
    expect(vectorGaps(forceApp)).toEqual([
      'DemoController: no vectors file force-app/main/demo/staticresources/DemoControllerVectors.json'
    ]);
    write('main/demo/staticresources/DemoControllerVectors.json', vectorsOf(2));
    expect(vectorGaps(forceApp)).toEqual([
      'DemoController: no DemoControllerVectors.resource-meta.xml beside its vectors',
      'DemoController: no DemoControllerVectorsTest.cls'
    ]);
  });

  it('catches a case without its caseNN method and a method no case calls', () => {
    write('main/demo/staticresources/DemoControllerVectors.json', vectorsOf(2));
    write('main/demo/staticresources/DemoControllerVectors.resource-meta.xml', '<StaticResource/>');
    write('main/demo/classes/DemoControllerVectorsTest.cls', testOf(1));
    expect(vectorGaps(forceApp)).toEqual([
      'DemoControllerVectorsTest: 1 caseNN methods for 2 cases in DemoControllerVectors.json'
    ]);
    write('main/demo/classes/DemoControllerVectorsTest.cls', testOf(2));
    expect(vectorGaps(forceApp)).toEqual([]);
    write(
      'main/demo/classes/DemoController.cls',
      CONTROLLER.replace(/}\s*$/, '  @AuraEnabled\n  public static void saveDemo(Id recordId) {\n  }\n}')
    );
    expect(vectorGaps(forceApp)).toEqual(['DemoController.saveDemo: no case calls it']);
  });

  it('catches a preview twin no vector runs offline', () => {
    expect(unexercisedTwins(['DemoController.getDemo'], forceApp)).toEqual(['DemoController.getDemo']);
    write('main/demo/staticresources/DemoControllerVectors.json', vectorsOf(1));
    expect(unexercisedTwins(['DemoController.getDemo'], forceApp)).toEqual([]);
    expect(unexercisedTwins([...APEX_METHODS.keys(), 'DemoController.getDemo'], forceApp)).toContain(
      'EngagementSummaryController.getSummary'
    );
  });
});
