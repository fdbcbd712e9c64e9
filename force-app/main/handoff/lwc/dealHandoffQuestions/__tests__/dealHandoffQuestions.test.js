import { createElement } from 'lwc';
import DealHandoffQuestions from 'c/dealHandoffQuestions';
import getQuestions from '@salesforce/apex/DealHandoffController.getQuestions';
import saveAnswer from '@salesforce/apex/DealHandoffController.saveAnswer';
import { refreshApex } from '@salesforce/apex';
import { flush, query, queryAll, text, clearDocument } from 'test/jest-utils/dom';

const QUESTIONS = require('./data/questions.json');

jest.mock(
  '@salesforce/apex/DealHandoffController.getQuestions',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);
jest.mock('@salesforce/apex/DealHandoffController.saveAnswer', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

function render() {
  const element = createElement('c-deal-handoff-questions', { is: DealHandoffQuestions });
  element.recordId = QUESTIONS.opportunityId;
  document.body.appendChild(element);
  return element;
}

async function emit(data) {
  const element = render();
  getQuestions.emit(data);
  await flush();
  return element;
}

async function type(element, index, value) {
  const area = queryAll(element, 'lightning-textarea')[index];
  area.value = value;
  area.dispatchEvent(new CustomEvent('change', { detail: { value } }));
  await flush();
}

describe('c-deal-handoff-questions', () => {
  afterEach(() => {
    clearDocument();
    jest.clearAllMocks();
  });

  it('shows a spinner until the questions arrive', async () => {
    const element = render();

    expect(query(element, 'lightning-spinner')).not.toBeNull();
    await expect(element).toBeAccessible();
  });

  it('lists the questions with the answers given and what each gated stage still needs', async () => {
    const element = await emit(QUESTIONS);

    expect(getQuestions.getLastConfig()).toEqual({ opportunityId: QUESTIONS.opportunityId });
    expect(text(element, '.progress')).toBe('1 of 3 answered');
    expect(query(element, 'lightning-progress-bar').value).toBe(33);
    expect(text(element, '.requirement')).toBe(
      'Closed Won needs 3 of 3 answered: 2 more before the deal can move there'
    );
    const areas = queryAll(element, 'lightning-textarea');
    expect(areas.map((area) => area.label)).toEqual([
      '1. What was promised beyond the contract?',
      '2. Who are the client contacts and decision makers?',
      '3. Which risks did the sale surface?'
    ]);
    expect(areas[0].value).toBe('A weekly steering call');
    expect(queryAll(element, '.state').map((state) => state.textContent)).toEqual([
      'Answered',
      'Not answered yet',
      'Not answered yet'
    ]);
    expect(queryAll(element, '.save').every((button) => button.disabled)).toBe(true);
    await expect(element).toBeAccessible();
  });

  it('saves an edited answer, says so and reloads', async () => {
    saveAnswer.mockResolvedValue(null);
    const element = await emit(QUESTIONS);
    const toasts = jest.fn();
    element.addEventListener('lightning__showtoast', toasts);

    await type(element, 1, 'Dana Lee (CFO) decides');
    const button = queryAll(element, '.save')[1];
    expect(button.disabled).toBe(false);
    button.click();
    await flush();

    expect(saveAnswer).toHaveBeenCalledWith({
      opportunityId: QUESTIONS.opportunityId,
      questionKey: 'Contacts',
      answer: 'Dana Lee (CFO) decides'
    });
    expect(toasts).toHaveBeenCalledTimes(1);
    expect(toasts.mock.calls[0][0].detail.title).toBe('Handoff answer saved');
    expect(refreshApex).toHaveBeenCalled();
  });

  it('shows why an answer was not saved and keeps the draft', async () => {
    saveAnswer.mockRejectedValue({ body: { message: 'The answer was not saved: insufficient access' } });
    const element = await emit(QUESTIONS);

    await type(element, 2, 'Legacy ERP');
    queryAll(element, '.save')[2].click();
    await flush();

    expect(query(element, 'c-error-panel').errors.body.message).toBe('The answer was not saved: insufficient access');
    expect(queryAll(element, 'lightning-textarea')[2].value).toBe('Legacy ERP');
    expect(refreshApex).not.toHaveBeenCalled();
    await expect(element).toBeAccessible();
  });

  it('shows a won deal read-only, pointing to the engagement', async () => {
    const element = await emit({
      ...QUESTIONS,
      won: true,
      canEdit: false,
      requirements: [{ stageName: 'Closed Won', requiredCount: 3, met: true }]
    });

    expect(query(element, 'lightning-textarea')).toBeNull();
    expect(text(element, '.read-only')).toContain("went to the engagement's handoff checklist");
    expect(text(element, '.requirement')).toBe('Closed Won: ready (3 answers required)');
    expect(text(element, '.answer')).toBe('A weekly steering call');
    await expect(element).toBeAccessible();
  });

  it('says when no questions are active', async () => {
    const element = await emit({ ...QUESTIONS, total: 0, answered: 0, questions: [], requirements: [] });

    expect(text(element, '.no-questions')).toContain('No handoff questions are active');
    await expect(element).toBeAccessible();
  });

  it('says when the deal is not available', async () => {
    const element = await emit(null);

    expect(text(element, '.empty')).toContain('not available to you');
    await expect(element).toBeAccessible();
  });

  it('shows a load error', async () => {
    const element = render();
    getQuestions.error({ message: 'boom' });
    await flush();

    expect(query(element, 'c-error-panel').friendlyMessage).toBe('Could not load the handoff questions');
    await expect(element).toBeAccessible();
  });
});
