/** An error the component shows as it is: AuraHandledException, or Apex refusing a parameter. */
export class AuraHandledError extends Error {}
