import type { LocalOrg } from '@handoff/local-org';

/**
 * The small firm the runner tests share: four developers and a part-time trainer in London (with a London holiday),
 * a won engagement with 480 developer hours (one developer booked on it), and an early-stage deal whose pipeline
 * engagement needs developers and a trainer at 50%.
 */
export function seedSmallFirm(store: LocalOrg['store']): void {
  const people = store.seed('Resource__c', [
    ...['Ada', 'Brian', 'Chen', 'Dana'].map((Name) => ({
      Name,
      Primary_Role__c: 'Developer',
      Weekly_Capacity_Hours__c: 40
    })),
    { Name: 'Tess', Primary_Role__c: 'Trainer', Weekly_Capacity_Hours__c: 20, Location__c: 'London' }
  ]);
  store.seed('Holiday', [{ Name: '[London] Staff day', ActivityDate: '2026-11-25', IsAllDay: true }]);
  // An early-stage deal (no stage rule, so the automation leaves it alone) with a hand-made pipeline engagement.
  const [deal] = store.seed('Opportunity', [
    { Name: 'Maybe rollout', StageName: 'Prospecting', CloseDate: '2026-11-20' }
  ]);
  const [won, pipeline] = store.seed('Engagement__c', [
    { Name: 'Won rollout', Status__c: 'Active', Billable__c: true },
    {
      Name: 'Maybe rollout',
      Status__c: 'Pipeline',
      Opportunity_Key__c: deal,
      Win_Probability__c: 50,
      Expected_Start__c: '2026-11-30'
    }
  ]);
  store.seed('Resource_Demand__c', [
    {
      Engagement__c: won,
      Role__c: 'Developer',
      Total_Hours__c: 480,
      Start_Date__c: '2026-11-23',
      End_Date__c: '2027-01-01',
      Status__c: 'Open',
      Probability__c: 100
    },
    {
      Engagement__c: pipeline,
      Role__c: 'Developer',
      Total_Hours__c: 400,
      Start_Date__c: '2026-11-30',
      End_Date__c: '2026-12-11',
      Status__c: 'Open',
      Probability__c: 50
    },
    {
      Engagement__c: pipeline,
      Role__c: 'Trainer',
      Total_Hours__c: 40,
      Start_Date__c: '2026-11-30',
      End_Date__c: '2026-12-04',
      Status__c: 'Open',
      Probability__c: 50
    }
  ]);
  store.seed('Assignment__c', [
    {
      Engagement__c: won,
      Resource__c: people[0],
      Hours_Per_Week__c: 40,
      Start_Date__c: '2026-11-23',
      End_Date__c: '2027-01-01',
      Booking_Type__c: 'Hard'
    }
  ]);
}
