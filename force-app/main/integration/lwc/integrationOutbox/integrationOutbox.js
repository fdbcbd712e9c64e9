import { LightningElement, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getMessages from '@salesforce/apex/IntegrationOutboxController.getMessages';
import replay from '@salesforce/apex/IntegrationOutboxController.replay';
import { formatDateTime } from 'c/handoffFormat';

const STATUS_THEMES = {
  Delivered: 'slds-theme_success',
  'Dead Letter': 'slds-theme_error',
  Failed: 'slds-theme_warning',
  Pending: 'slds-theme_info'
};
const ALL = '';

/**
 * The integration outbox: messages filtered by status (dead letters first) and topic, with their attempts and last
 * error; select several and replay them with a reason, which is recorded on each message.
 */
export default class IntegrationOutbox extends LightningElement {
  status = 'Dead Letter';
  topic = ALL;
  page;
  error;
  loaded = false;
  wiredPage;
  selected = new Set();
  reason = '';
  replaying = false;
  replayError;

  @wire(getMessages, { status: '$status', topic: '$topic' })
  receive(result) {
    this.wiredPage = result;
    const { data, error } = result;
    if (data !== undefined || error !== undefined) this.loaded = true;
    this.page = data ?? undefined;
    this.error = error;
    if (data) {
      const visible = new Set(data.messages.filter((row) => row.replayable).map((row) => row.id));
      this.selected = new Set([...this.selected].filter((id) => visible.has(id)));
    }
  }

  get isLoading() {
    return !this.loaded;
  }

  get statusOptions() {
    return [{ label: 'All statuses', value: ALL }, ...(this.page?.statuses ?? [this.status]).map(option)];
  }

  get topicOptions() {
    return [{ label: 'All topics', value: ALL }, ...(this.page?.topics ?? []).map(option)];
  }

  get counts() {
    return (this.page?.counts ?? []).map((count) => ({
      key: count.status,
      label: `${count.status}: ${count.total}`,
      className: `count ${STATUS_THEMES[count.status] ?? ''}`.trim()
    }));
  }

  get hasMessages() {
    return (this.page?.messages?.length ?? 0) > 0;
  }

  get emptyMessage() {
    const what = [this.status || undefined, this.topic || undefined].filter(Boolean).join(' ');
    return what
      ? `No ${what} messages. Choose another status or topic to see the rest of the outbox.`
      : 'The outbox is empty: messages appear here when Handoff sends lifecycle or billing events.';
  }

  get truncated() {
    return Boolean(this.page?.truncated);
  }

  get rows() {
    return this.page.messages.map((row) => ({
      ...row,
      key: row.id,
      selected: this.selected.has(row.id),
      selectLabel: `Select ${row.name} for replay`,
      statusClass: `status ${STATUS_THEMES[row.status] ?? ''}`.trim(),
      attemptsText: `${row.attempts ?? 0} of ${row.maxAttempts ?? '—'}`,
      whenText: formatDateTime(row.deliveredAt ?? row.nextAttemptAt ?? row.createdAt),
      whenLabel: row.deliveredAt ? 'Delivered' : row.nextAttemptAt ? 'Next attempt' : 'Created',
      errorText: row.lastError || '',
      replayText: row.replayedAt ? `Replayed ${formatDateTime(row.replayedAt)}: ${row.replayReason}` : ''
    }));
  }

  get replayableIds() {
    return (this.page?.messages ?? []).filter((row) => row.replayable).map((row) => row.id);
  }

  get hasReplayable() {
    return this.replayableIds.length > 0;
  }

  get hasNoReplayable() {
    return !this.hasReplayable;
  }

  get allSelected() {
    return this.hasReplayable && this.replayableIds.every((id) => this.selected.has(id));
  }

  get selectedCount() {
    return this.selected.size;
  }

  get selectionText() {
    return this.selected.size === 1 ? '1 message selected' : `${this.selected.size} messages selected`;
  }

  get replayDisabled() {
    return this.replaying || this.selected.size === 0;
  }

  handleStatus(event) {
    this.status = event.detail.value;
  }

  handleTopic(event) {
    this.topic = event.detail.value;
  }

  handleSelect(event) {
    const id = event.target.dataset.id;
    const selected = new Set(this.selected);
    if (event.detail.checked) selected.add(id);
    else selected.delete(id);
    this.selected = selected;
  }

  handleSelectAll(event) {
    this.selected = event.detail.checked ? new Set(this.replayableIds) : new Set();
  }

  handleReason(event) {
    this.reason = event.detail.value ?? '';
  }

  dismissReplayError() {
    this.replayError = undefined;
  }

  async handleRefresh() {
    await refreshApex(this.wiredPage);
  }

  async handleReplay() {
    const reasonField = this.template.querySelector('.reason');
    if (!this.reason.trim()) {
      reasonField?.setCustomValidity('Say why these messages are replayed: the reason is recorded on each one.');
      reasonField?.reportValidity();
      return;
    }
    reasonField?.setCustomValidity('');
    reasonField?.reportValidity();
    this.replaying = true;
    this.replayError = undefined;
    try {
      const count = await replay({ ids: [...this.selected], reason: this.reason.trim() });
      this.dispatchEvent(
        new ShowToastEvent({
          title: count === 1 ? '1 message replayed' : `${count} messages replayed`,
          message: 'They are Pending again and go out with the next delivery round.',
          variant: 'success'
        })
      );
      this.selected = new Set();
      this.reason = '';
      await refreshApex(this.wiredPage);
    } catch (error) {
      this.replayError = error;
    } finally {
      this.replaying = false;
    }
  }
}

function option(value) {
  return { label: value, value };
}
