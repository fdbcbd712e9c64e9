/**
 * The org's daily API request count, reported on every response as `Sforce-Limit-Info: api-usage=N/M` and by the
 * limits resource. Past the maximum, requests answer 403 REQUEST_LIMIT_EXCEEDED, as Salesforce does.
 */
export class ApiUsage {
  used = 0;

  constructor(public max: number) {}

  /** Counts one request; false when the limit was already reached. */
  hit(): boolean {
    if (this.used >= this.max) return false;
    this.used++;
    return true;
  }

  header(): string {
    return `api-usage=${this.used}/${this.max}`;
  }

  reset(): void {
    this.used = 0;
  }
}
