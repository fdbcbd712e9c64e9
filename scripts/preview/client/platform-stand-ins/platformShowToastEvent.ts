/// <reference lib="dom" />

/**
 * STAND-IN for `lightning/platformShowToastEvent`, which only the Salesforce platform implements. The event has the
 * platform's name and detail (title, message, variant, mode); the preview page shows it as an SLDS toast.
 */
export interface ToastConfig {
  title?: string;
  message?: string;
  variant?: 'info' | 'success' | 'warning' | 'error';
  mode?: 'dismissible' | 'pester' | 'sticky';
}

export class ShowToastEvent extends CustomEvent<ToastConfig> {
  constructor(config: ToastConfig) {
    super('lightning__showtoast', { bubbles: true, composed: true, cancelable: true, detail: config });
  }
}
