import { LightningElement, api } from 'lwc';
import { reduceErrors } from 'c/ldsUtils';

/**
 * Shows an error as readable text: what failed (friendlyMessage) and why (the messages of the errors).
 */
export default class ErrorPanel extends LightningElement {
  /** What the user was trying to do when it failed, e.g. "Could not load the outlook". */
  @api friendlyMessage = 'Something went wrong';
  /** A wire or imperative error, or a list of them. */
  @api errors;

  get messages() {
    return reduceErrors(this.errors).map((text, index) => ({ key: `${index}`, text }));
  }

  get hasMessages() {
    return this.messages.length > 0;
  }
}
