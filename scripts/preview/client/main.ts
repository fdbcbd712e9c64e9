/// <reference lib="dom" />
import { create, missing } from 'preview:components';
import { previewUrl, type PageReference } from './platform-stand-ins/navigation';

/**
 * The preview page: a plain SLDS shell around the real components from force-app. Sections: the App page (capacity
 * heatmap, forecast health), an Opportunity record page (delivery outlook, handoff questions) and an Engagement record
 * page (summary, client hierarchy, handoff, staffing and billing), each record page with a picker standing in for
 * navigation. `?view=app|opportunity|engagement|outbox` shows one section (outbox: the Integration Outbox tab);
 * `?view=none` mounts nothing (the browser tests mount and time components through `window.preview`).
 */

interface RecordOption {
  id: string;
  label: string;
}

interface PreviewRecords {
  orgUrl: string;
  opportunities: RecordOption[];
  engagements: RecordOption[];
  defaults: { opportunityId?: string; engagementId?: string };
}

type RecordElement = HTMLElement & { recordId?: string };

const params = new URLSearchParams(window.location.search);
const view = params.get('view') ?? 'all';
const root = document.getElementById('root')!;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className = '', text = ''): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

function card(title: string, id: string): HTMLElement {
  const section = element('section', 'slds-m-bottom_large');
  section.id = id;
  section.append(element('h1', 'slds-text-heading_medium slds-m-bottom_small', title));
  root.append(section);
  return section;
}

/** Mounts a component by folder name, or says that force-app does not have it yet. */
function mount(name: string, container: HTMLElement, recordId?: string): RecordElement | undefined {
  const component = create(name) as RecordElement | undefined;
  if (!component) {
    container.append(element('p', 'slds-text-color_error missing', `${name} is not in force-app yet.`));
    return undefined;
  }
  if (recordId !== undefined) component.recordId = recordId;
  container.append(component);
  return component;
}

function picker(id: string, options: RecordOption[], selected: string | undefined): HTMLSelectElement {
  const select = element('select', 'slds-select');
  select.id = id;
  for (const option of options) {
    const node = element('option', '', option.label);
    node.value = option.id;
    select.append(node);
  }
  if (selected) select.value = selected;
  return select;
}

function pickerField(select: HTMLSelectElement, label: string): HTMLElement {
  const field = element('div', 'slds-form-element slds-m-bottom_small picker');
  const caption = element('label', 'slds-form-element__label', label);
  caption.htmlFor = select.id;
  const control = element('div', 'slds-form-element__control');
  const container = element('div', 'slds-select_container');
  container.append(select);
  control.append(container);
  field.append(caption, control);
  return field;
}

/** A record page: a picker and the components that take its record Id. */
function recordPage(title: string, id: string, label: string, options: RecordOption[], selected: string | undefined) {
  const section = card(title, id);
  const select = picker(`${id}-picker`, options, selected);
  section.append(pickerField(select, label));
  return { section, select };
}

function showToast(event: Event) {
  const { title = '', message = '', variant = 'info' } = (event as CustomEvent<Record<string, string>>).detail ?? {};
  const container = element('div', 'slds-notify_container');
  const toast = element('div', `slds-notify slds-notify_toast slds-theme_${variant}`);
  toast.setAttribute('role', 'status');
  const body = element('div', 'slds-notify__content');
  body.append(element('h2', 'slds-text-heading_small', title), element('p', '', message));
  toast.append(body);
  container.append(toast);
  document.body.append(container);
  setTimeout(() => container.remove(), 3000);
}

async function start() {
  const records = (await (await fetch('/preview/records')).json()) as PreviewRecords;
  const header = element('div', 'slds-page-header slds-m-bottom_medium');
  header.append(
    element('h1', 'slds-page-header__title', 'Handoff preview'),
    element(
      'p',
      'slds-text-body_small',
      `Components compiled from force-app; Apex answered by preview adapters from the local org at ${records.orgUrl}.`
    )
  );
  root.append(header);
  if (missing.length) root.append(element('p', 'slds-text-color_error', `Not in force-app yet: ${missing.join(', ')}`));
  document.addEventListener('lightning__showtoast', showToast);

  if (view === 'all' || view === 'app') {
    const section = card('App page: capacity', 'app-page');
    const grid = element('div', 'slds-grid slds-wrap slds-gutters');
    const main = element('div', 'slds-col slds-size_1-of-1 slds-large-size_2-of-3');
    const side = element('div', 'slds-col slds-size_1-of-1 slds-large-size_1-of-3');
    grid.append(main, side);
    section.append(grid);
    mount('capacityHeatmap', main);
    mount('forecastAccuracy', main);
    mount('handoffAlerts', side);
    mount('forecastHealth', side);
    mount('capacityScenarios', side);
  }
  if (view === 'all' || view === 'opportunity') {
    const selected = params.get('opportunityId') ?? records.defaults.opportunityId;
    const page = recordPage('Opportunity page', 'opportunity-page', 'Opportunity', records.opportunities, selected);
    const shown = ['deliveryOutlook', 'dealHandoffQuestions'].map((name) =>
      mount(name, page.section, page.select.value)
    );
    page.select.addEventListener('change', () => {
      for (const component of shown) if (component) component.recordId = page.select.value;
    });
  }
  if (view === 'all' || view === 'engagement') {
    const selected = params.get('engagementId') ?? records.defaults.engagementId;
    const page = recordPage('Engagement page', 'engagement-page', 'Engagement', records.engagements, selected);
    const shown = [
      'engagementSummary',
      'clientHierarchy',
      'engagementHandoff',
      'staffingRecommendations',
      'billingMilestones'
    ].map((name) => mount(name, page.section, page.select.value));
    page.select.addEventListener('change', () => {
      for (const component of shown) if (component) component.recordId = page.select.value;
    });
  }
  if (view === 'all' || view === 'outbox') {
    mount('integrationOutbox', card('Integration outbox tab', 'outbox-page'));
  }
  // Navigation stand-in: "Open the engagement" on the delivery outlook shows that engagement on this page if it is
  // shown here, else opens the preview URL of the record.
  window.addEventListener('preview:navigate', (event) => {
    const target = (event as CustomEvent<PageReference>).detail;
    const select = document.getElementById('engagement-page-picker') as HTMLSelectElement | null;
    const recordId = target.attributes?.recordId;
    if (!select || !Array.from(select.options).some((option) => option.value === recordId)) {
      window.location.assign(previewUrl(target));
      return;
    }
    select.value = recordId!;
    select.dispatchEvent(new Event('change'));
    select.scrollIntoView();
  });
}

/** For the browser tests: mount a component on demand and time it. */
Object.assign(window, {
  preview: {
    missing,
    mount: (name: string, recordId?: string) => mount(name, root, recordId)
  }
});

start().catch((error: unknown) => {
  root.append(element('p', 'slds-text-color_error', `The preview could not start: ${String(error)}`));
});
