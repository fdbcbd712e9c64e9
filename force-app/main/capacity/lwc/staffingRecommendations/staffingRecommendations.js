import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getRecommendations from '@salesforce/apex/StaffingRecommendationController.getRecommendations';
import book from '@salesforce/apex/StaffingRecommendationController.book';
import { formatDate, formatDateTime, formatHours, formatWeek } from 'c/handoffFormat';
import { reduceErrors } from 'c/ldsUtils';

/** The tallest bar of the week strip, in rem: a week with all the hours the line needs free. */
const BAR_REM = 1.5;

/**
 * Engagement and demand line record pages, "Staffing recommendations": per open demand line, the people the capacity
 * forecast ranked for it, with their free hours week by week, and Book, which creates a soft booking for the line's
 * weeks and hours after the user confirms what will be created.
 */
export default class StaffingRecommendations extends LightningElement {
  @api recordId;

  result;
  error;
  loaded = false;
  wired;
  /** The candidate whose booking waits for confirmation: { demandId, resourceId }. */
  pending;
  /** The booking being saved: "demandId:resourceId". Set while Apex runs, so a second click books nothing. */
  bookingKey;
  bookError;

  @wire(getRecommendations, { recordId: '$recordId' })
  receive(result) {
    this.wired = result;
    const { data, error } = result;
    if (data !== undefined || error !== undefined) this.loaded = true;
    this.result = data ?? undefined;
    this.error = error;
  }

  get isLoading() {
    return !this.loaded;
  }

  get notComputed() {
    return this.result && !this.result.forecastComputed;
  }

  get isEmpty() {
    return this.result && this.result.demands.length === 0;
  }

  get isPipeline() {
    return this.result?.engagementStatus === 'Pipeline';
  }

  get staleText() {
    return this.result?.stale
      ? `The forecast is out of date (last completed ${formatDateTime(this.result.forecastFinishedAt)}): availability may have changed.`
      : '';
  }

  get bookDisabledReason() {
    return this.result?.canBook ? '' : 'Booking needs create access to assignments (Handoff Delivery Manager).';
  }

  get demands() {
    const { canBook } = this.result;
    return this.result.demands.map((line) => {
      const confirming = this.pending?.demandId === line.demandId ? this.pending : undefined;
      const candidates = line.candidates.map((candidate) => this.candidateView(line, candidate, canBook));
      const chosen = confirming && candidates.find((candidate) => candidate.resourceId === confirming.resourceId);
      return {
        ...line,
        headingId: `line-${line.demandId}`,
        title: line.skill ? `${line.role} · ${line.skill}` : line.role,
        detail: `${formatHours(line.totalHours)} h, ${formatDate(line.startDate)} – ${formatDate(line.endDate)}${
          line.hoursPerWeek === null || line.hoursPerWeek === undefined
            ? ''
            : ` (${formatHours(line.hoursPerWeek)} h a week)`
        }`,
        hasCandidates: candidates.length > 0,
        candidates,
        confirmText: chosen
          ? `Create a soft booking of ${chosen.resourceName} on ${line.name}: ${formatHours(line.hoursPerWeek)} h a week from ${formatDate(line.startDate)} to ${formatDate(line.endDate)}? The next forecast counts it as a soft booking.`
          : '',
        saving: Boolean(this.bookingKey)
      };
    });
  }

  candidateView(line, candidate, canBook) {
    const key = `${line.demandId}:${candidate.resourceId}`;
    const weeks = (candidate.weeks ?? []).map((week) => {
      const share = week.need > 0 ? Math.min(1, week.free / week.need) : 1;
      return {
        key: week.week,
        label: `${formatWeek(week.week)}: ${formatHours(week.free)} of ${formatHours(week.need)} h free`,
        text: `${formatHours(week.free)}/${formatHours(week.need)}`,
        weekText: formatWeek(week.week),
        barStyle: `height: ${(share * BAR_REM).toFixed(2)}rem`,
        barClass: share >= 1 ? 'bar bar_full' : share > 0 ? 'bar bar_partial' : 'bar bar_none'
      };
    });
    return {
      ...candidate,
      key,
      scoreText: formatHours(candidate.score * 100) + '%',
      availabilityText: `${formatHours(candidate.availability)}% of the hours free`,
      skillText: !line.skill ? 'No skill asked' : candidate.skillMatch ? `Has ${line.skill}` : `Lacks ${line.skill}`,
      skillClass: !line.skill || candidate.skillMatch ? 'skill slds-text-color_success' : 'skill slds-text-color_error',
      hasWeeks: weeks.length > 0,
      weeks,
      booked: Boolean(candidate.bookedAs),
      bookedText: `Booked (${candidate.bookedAs})`,
      bookLabel: `Book ${candidate.resourceName}`,
      bookDisabled: !canBook || Boolean(this.bookingKey) || Boolean(this.pending)
    };
  }

  handleBook(event) {
    const { demandId, resourceId } = event.target.dataset;
    this.bookError = undefined;
    this.pending = { demandId, resourceId };
  }

  handleCancel() {
    this.pending = undefined;
  }

  async handleConfirm() {
    if (this.bookingKey || !this.pending) return;
    const { demandId, resourceId } = this.pending;
    this.bookingKey = `${demandId}:${resourceId}`;
    try {
      const booking = await book({ demandId, resourceId });
      this.dispatchEvent(
        new ShowToastEvent({
          title: booking.created ? 'Soft booking created' : 'Already booked',
          message: `${booking.demandName}: ${formatHours(booking.hoursPerWeek)} h a week from ${formatDate(
            booking.startDate
          )} to ${formatDate(booking.endDate)} (${booking.bookingType}).`,
          variant: booking.created ? 'success' : 'info'
        })
      );
      this.pending = undefined;
      await refreshApex(this.wired);
    } catch (error) {
      this.bookError = error;
      this.dispatchEvent(
        new ShowToastEvent({
          title: 'The booking was not saved',
          message: reduceErrors(error).join('; '),
          variant: 'error'
        })
      );
    } finally {
      this.bookingKey = undefined;
    }
  }
}
