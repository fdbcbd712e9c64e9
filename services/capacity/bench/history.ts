import { dayNumber, isoDate } from '../src/engine/calendar';
import { mulberry32 } from '../src/engine/random';
import type { EngineInput, HistoryInput } from '../src/engine/types';

const STAGES = ['Prospecting', 'Qualification', 'Proposal/Price Quote', 'Negotiation/Review'];

/**
 * The firm with opportunity history for benchmarks: `deals` closed deals over the two years before the forecast date,
 * each walking the open stages (about five history rows a deal), and a stage for every open opportunity.
 */
export function withHistory(firm: EngineInput, deals: number, seed = 2027): EngineInput {
  const random = mulberry32(seed);
  const asOf = dayNumber(firm.asOf);
  const history: HistoryInput[] = [];
  for (let deal = 0; deal < deals; deal++) {
    let day = asOf - 60 - Math.floor(random() * 660);
    let close = day + 30 + Math.floor(random() * 60);
    const row = (stage: string, probability: number) =>
      history.push({
        id: `H${history.length}`,
        opportunityId: `C${deal}`,
        stage,
        probability,
        closeDate: isoDate(close),
        createdDate: `${isoDate(day)}T09:00:00.000+0000`
      });
    let won = false;
    for (let step = 0; step < STAGES.length; step++) {
      row(STAGES[step]!, [10, 20, 75, 90][step]!);
      day += 5 + Math.floor(random() * 40);
      if (random() < 0.2) close += 7 * Math.floor(1 + random() * 4);
      if (random() > 0.7) break;
      won = step === STAGES.length - 1;
    }
    close = day;
    row(won ? 'Closed Won' : 'Closed Lost', won ? 100 : 0);
  }
  const opportunities = (firm.opportunities ?? []).map((opportunity, index) => ({
    ...opportunity,
    stage: STAGES[index % STAGES.length],
    stageSince: isoDate(asOf - Math.floor(random() * 120))
  }));
  return { ...firm, opportunities, history };
}
