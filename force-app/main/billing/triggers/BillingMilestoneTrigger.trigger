trigger BillingMilestoneTrigger on Billing_Milestone__c(before insert, before update, after update) {
  BillingMilestones.onMilestones();
}
