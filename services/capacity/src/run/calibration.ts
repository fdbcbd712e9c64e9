import { windowStart } from '../engine/calibration';
import type { EngineOptions, HistoryInput, ProbabilitySource } from '../engine/types';
import type { SalesforceClient } from '../salesforce/client';
import { queryAll } from '../salesforce/reader';
import { calibrationSettings, historyQuery, toHistoryInput } from './inputs';

/** How a run calibrates win probabilities: these override the Handoff_Setting__mdt Default record. */
export interface CalibrationRunOptions {
  /** Entered or calibrated probability weights pipeline demand and drives the Monte Carlo. */
  probabilitySource?: ProbabilitySource;
  /** Trailing window of closed deals, in months. */
  calibrationWindowMonths?: number;
}

/** Months of history read before the window, so deals that closed in it are seen from their first stage. */
const LOOKBACK_MONTHS = 12;
const DEFAULT_WINDOW_MONTHS = 24;

/** Where the history query of a run starts: the window (the run's, else the default) and a year before it. */
export function historyFrom(asOf: string, windowMonths = DEFAULT_WINDOW_MONTHS): string {
  return windowStart(asOf, Math.max(1, Math.round(windowMonths)) + LOOKBACK_MONTHS);
}

/**
 * The org's OpportunityHistory for the calibration window, with the engine options the run uses: the run's options
 * first, then the Default setting record, then the engine defaults. The history was read with the inputs from
 * `historyFrom(asOf, options.calibrationWindowMonths)`; only a setting asking for a longer window costs one more
 * query.
 */
export async function readCalibration(
  client: SalesforceClient,
  rows: { settings: Record<string, unknown>[]; history: Record<string, unknown>[] },
  asOf: string,
  options: CalibrationRunOptions
): Promise<{ history: HistoryInput[]; engineOptions: EngineOptions }> {
  const settings = calibrationSettings(rows.settings);
  const windowMonths = options.calibrationWindowMonths ?? settings.windowMonths ?? DEFAULT_WINDOW_MONTHS;
  const needed = historyFrom(asOf, windowMonths);
  const history =
    needed < historyFrom(asOf, options.calibrationWindowMonths)
      ? (await queryAll(client, { history: historyQuery(needed) })).history
      : rows.history;
  return {
    history: toHistoryInput(history),
    engineOptions: {
      probabilitySource: options.probabilitySource ?? settings.probabilitySource ?? 'entered',
      calibrationWindowMonths: windowMonths,
      calibrationPriorWeight: settings.priorWeight
    }
  };
}
