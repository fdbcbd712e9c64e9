trigger HandoffAlertEventTrigger on Handoff_Alert_Event__e(after insert) {
  HandoffAlerts.onEvents(Trigger.new);
}
