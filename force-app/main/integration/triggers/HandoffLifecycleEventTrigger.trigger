trigger HandoffLifecycleEventTrigger on Handoff_Lifecycle_Event__e(after insert) {
  CapacityForecastRequest.onLifecycleEvents(Trigger.new);
}
