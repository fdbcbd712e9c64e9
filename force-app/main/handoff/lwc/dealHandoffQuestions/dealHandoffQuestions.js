import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getQuestions from '@salesforce/apex/DealHandoffController.getQuestions';
import saveAnswer from '@salesforce/apex/DealHandoffController.saveAnswer';

/**
 * Opportunity record page, "Handoff questions": the rep answers what delivery needs to know before the deal closes.
 * Shows how many are answered, which stages require them, and saves each answer on its own.
 */
export default class DealHandoffQuestions extends LightningElement {
  @api recordId;

  handoff;
  error;
  loaded = false;
  wired;
  /** Answers being edited, by question key. */
  drafts = {};
  savingKey;
  saveError;

  @wire(getQuestions, { opportunityId: '$recordId' })
  receive(result) {
    this.wired = result;
    const { data, error } = result;
    if (data !== undefined || error !== undefined) this.loaded = true;
    this.handoff = data ?? undefined;
    this.error = error;
  }

  get isLoading() {
    return !this.loaded;
  }

  get isEmpty() {
    return this.loaded && !this.error && !this.handoff;
  }

  get hasQuestions() {
    return this.handoff.total > 0;
  }

  get progressText() {
    const { answered, total } = this.handoff;
    return `${answered} of ${total} answered`;
  }

  get requirements() {
    return this.handoff.requirements.map((requirement) => ({
      key: requirement.stageName,
      text: requirement.met
        ? `${requirement.stageName}: ready (${requirement.requiredCount} answers required)`
        : `${requirement.stageName} needs ${requirement.requiredCount} of ${this.handoff.total} answered: ` +
          `${requirement.requiredCount - this.handoff.answered} more before the deal can move there`,
      className: requirement.met ? 'requirement slds-text-color_success' : 'requirement slds-text-color_error'
    }));
  }

  get hasRequirements() {
    return this.handoff.requirements.length > 0;
  }

  get readOnly() {
    return !this.handoff.canEdit;
  }

  get readOnlyText() {
    return this.handoff.won
      ? "The deal is won: these answers went to the engagement's handoff checklist, where delivery keeps them."
      : 'You can read these answers; answering needs the Handoff Sales Rep permission set.';
  }

  get questions() {
    return this.handoff.questions.map((question, index) => {
      const draft = this.drafts[question.key];
      const value = draft ?? question.answer ?? '';
      return {
        ...question,
        number: index + 1,
        label: `${index + 1}. ${question.question}`,
        value,
        stateText: question.answered ? 'Answered' : 'Not answered yet',
        stateClass: question.answered ? 'state slds-text-color_success' : 'state slds-text-color_weak',
        saving: this.savingKey === question.key,
        unchanged: draft === undefined || draft === (question.answer ?? '') || this.savingKey !== undefined
      };
    });
  }

  handleAnswerChange(event) {
    this.drafts = { ...this.drafts, [event.target.dataset.key]: event.detail.value ?? event.target.value };
  }

  async handleSave(event) {
    const key = event.target.dataset.key;
    if (this.savingKey) return;
    this.savingKey = key;
    this.saveError = undefined;
    try {
      await saveAnswer({ opportunityId: this.recordId, questionKey: key, answer: this.drafts[key] ?? '' });
      const drafts = { ...this.drafts };
      delete drafts[key];
      this.drafts = drafts;
      this.dispatchEvent(
        new ShowToastEvent({
          title: 'Handoff answer saved',
          message: 'Delivery will see it at the handoff.',
          variant: 'success'
        })
      );
      await refreshApex(this.wired);
    } catch (error) {
      this.saveError = error;
    } finally {
      this.savingKey = undefined;
    }
  }
}
