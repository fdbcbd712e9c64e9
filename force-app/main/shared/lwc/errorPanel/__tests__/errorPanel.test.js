import { createElement } from 'lwc';
import ErrorPanel from 'c/errorPanel';
import { reduceErrors } from 'c/ldsUtils';

const ERRORS = require('./data/errors.json');

function render(props) {
  const element = createElement('c-error-panel', { is: ErrorPanel });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

describe('c-error-panel', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  it('says what failed and why, as an alert', async () => {
    const element = render({ friendlyMessage: 'Could not load the heatmap', errors: ERRORS.apexWire });
    await Promise.resolve();

    const alert = element.shadowRoot.querySelector('[role="alert"]');
    expect(alert.querySelector('.friendly').textContent).toBe('Could not load the heatmap');
    expect([...alert.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'Insufficient permissions: secure query included inaccessible field'
    ]);
    await expect(element).toBeAccessible();
  });

  it('shows only the friendly message when the error carries no text', async () => {
    const element = render({ errors: undefined });
    await Promise.resolve();

    expect(element.shadowRoot.querySelector('.friendly').textContent).toBe('Something went wrong');
    expect(element.shadowRoot.querySelector('ul')).toBeNull();
    await expect(element).toBeAccessible();
  });
});

describe('reduceErrors', () => {
  it.each([
    ['an Apex wire error', ERRORS.apexWire, ['Insufficient permissions: secure query included inaccessible field']],
    ['a DML page error', ERRORS.dml, ['insufficient access rights on object id']],
    ['a field error', ERRORS.fields, ['Answer: data value too large']],
    ['a list body', ERRORS.list, ['first', 'second']],
    ['a network error', ERRORS.network, ['Server Error']],
    ['a JavaScript error', new Error('boom'), ['boom']],
    ['a plain string', 'plain', ['plain']],
    ['several errors', [ERRORS.list, null, new Error('boom')], ['first', 'second', 'boom']]
  ])('reduces %s to text', (_name, error, expected) => {
    expect(reduceErrors(error)).toEqual(expected);
  });
});
