import { LightningElement, api, wire } from 'lwc';
import getHierarchy from '@salesforce/apex/ClientHierarchyController.getHierarchy';

/**
 * Engagement record page, "Client": the client and its parent accounts up to the top-level parent, so delivery sees
 * the group a client belongs to.
 */
export default class ClientHierarchy extends LightningElement {
  @api recordId;

  hierarchy;
  error;
  loaded = false;

  @wire(getHierarchy, { engagementId: '$recordId' })
  receive({ data, error }) {
    if (data !== undefined || error !== undefined) this.loaded = true;
    this.hierarchy = data ?? undefined;
    this.error = error;
  }

  get isLoading() {
    return !this.loaded;
  }

  get isEmpty() {
    return this.loaded && !this.error && !this.hierarchy;
  }

  get hasClient() {
    return this.hierarchy.levels.length > 0;
  }

  get top() {
    const { levels } = this.hierarchy;
    return levels[levels.length - 1];
  }

  get topText() {
    if (this.hierarchy.levels.length === 1 && this.hierarchy.isTop) return 'The client has no parent account.';
    if (this.hierarchy.isTop) return `Part of ${this.top.name}, its top-level parent.`;
    if (this.hierarchy.continuesAbove) {
      return `The hierarchy goes on above ${this.top.name}: open it to see the top-level parent.`;
    }
    return `Above ${this.top.name} is an account you do not have access to.`;
  }

  get levels() {
    const last = this.hierarchy.levels.length - 1;
    return this.hierarchy.levels.map((level, index) => ({
      ...level,
      url: `/lightning/r/Account/${level.id}/view`,
      role: index === 0 ? 'Client' : index === last && this.hierarchy.isTop ? 'Top-level parent' : 'Parent',
      className: index === last && this.hierarchy.isTop ? 'level top slds-text-title_bold' : 'level'
    }));
  }
}
