/// <reference lib="dom" />

/**
 * STAND-IN for `lightning/navigation`, which only the Salesforce platform implements (the open-source
 * lightning-base-components re-export it from `force/navigation`, which is not published). Enough for the preview:
 * `NavigationMixin.GenerateUrl` gives a preview URL and `NavigationMixin.Navigate` asks the preview page to show a
 * record, through a `preview:navigate` window event. Not the platform's behaviour beyond that.
 */

export interface PageReference {
  type: string;
  attributes?: { recordId?: string; objectApiName?: string; actionName?: string };
  state?: Record<string, string>;
}

const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

/** The preview page's URL for a page reference: record pages of the pages the preview shows, else the page. */
export function previewUrl(page: PageReference): string {
  const { recordId, objectApiName } = page.attributes ?? {};
  if (page.type === 'standard__recordPage' && recordId) {
    const parameter = objectApiName === 'Opportunity' ? 'opportunityId' : 'engagementId';
    return `/?${parameter}=${encodeURIComponent(recordId)}`;
  }
  return '/';
}

type Constructor = new (...args: never[]) => object;

/** `NavigationMixin(LightningElement)`: adds the two navigation methods, keyed by the mixin's symbols. */
export function NavigationMixin<Base extends Constructor>(base: Base) {
  class Navigating extends (base as unknown as new () => object) {
    [Navigate](page: PageReference): void {
      window.dispatchEvent(new CustomEvent('preview:navigate', { detail: page }));
    }

    [GenerateUrl](page: PageReference): Promise<string> {
      return Promise.resolve(previewUrl(page));
    }
  }
  return Navigating as unknown as Base & (new () => Navigating);
}
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;

/** `CurrentPageReference` is a wire adapter on the platform; here it provisions the preview page's reference. */
export class CurrentPageReference {
  constructor(private readonly emit: (value: PageReference) => void) {}
  update() {
    this.emit({
      type: 'standard__navItemPage',
      state: Object.fromEntries(new URLSearchParams(window.location.search))
    });
  }
  connect() {}
  disconnect() {}
}
