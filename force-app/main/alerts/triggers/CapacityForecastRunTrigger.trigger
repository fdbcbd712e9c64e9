trigger CapacityForecastRunTrigger on Capacity_Forecast_Run__c(after insert, after update) {
  ForecastRunAlerts.onRuns(Trigger.new, Trigger.oldMap);
}
