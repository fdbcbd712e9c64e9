trigger EngagementTrigger on Engagement__c(after insert, after update) {
  EngagementSharing.onEngagements(Trigger.new, Trigger.oldMap);
}
