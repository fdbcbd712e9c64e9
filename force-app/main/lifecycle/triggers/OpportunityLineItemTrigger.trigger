trigger OpportunityLineItemTrigger on OpportunityLineItem(after insert, after update, after delete) {
  HandoffTriggers.onLineItems();
}
