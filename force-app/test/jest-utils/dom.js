// Helpers the component tests share: reading a component's shadow DOM and letting it settle.

/** A macrotask: lets wire emissions, imperative Apex promises and re-renders all settle. */
export const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

export const query = (element, selector) => element.shadowRoot.querySelector(selector);

export const queryAll = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];

/** The element's text with white space folded, or undefined when nothing matches. */
export const text = (element, selector) => query(element, selector)?.textContent.replace(/\s+/g, ' ').trim();

/** Removes every rendered component, between tests. */
export function clearDocument() {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
}
