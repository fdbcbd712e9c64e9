import { emptyHeatmapRow } from './adapters';
import { addDays, mondayOf } from './weeks';

/** `?synthetic=60x104`: rows x weeks; at most 200 x 104 (the forecast's longest horizon). */
export function parseSynthetic(value: unknown): { rows: number; weeks: number } | undefined {
  const match = typeof value === 'string' ? /^(\d{1,3})x(\d{1,3})$/.exec(value) : null;
  if (!match) return undefined;
  const rows = Number(match[1]);
  const weeks = Number(match[2]);
  return rows >= 1 && rows <= 200 && weeks >= 1 && weeks <= 104 ? { rows, weeks } : undefined;
}

/**
 * PREVIEW-ONLY dataset for timing the heatmap at scale: `rows` roles by `weeks` weeks in the shape
 * CapacityHeatmapController.getHeatmap returns, whatever horizon the component asks for. Deterministic, with layers
 * that differ (confirmed < weighted < P90 < exposure) so a layer switch changes most cells.
 */
export function syntheticHeatmap(rows: number, weeks: number) {
  const firstWeek = mondayOf(new Date().toISOString());
  const names = Array.from({ length: rows }, (_, index) => `Synthetic role ${String(index + 1).padStart(2, '0')}`);
  return {
    dimension: 'Role',
    horizonWeeks: weeks,
    computed: true,
    computedHorizonWeeks: 104,
    runId: null,
    truncated: false,
    maxCells: 12000,
    probabilitySource: 'entered',
    finishedAt: new Date().toISOString(),
    stale: false,
    staleAfterHours: 24,
    weeks: Array.from({ length: weeks }, (_, index) => addDays(firstWeek, 7 * index)),
    roleOptions: names,
    practiceOptions: [],
    skillOptions: [],
    rows: names.map((name, row) => {
      const result = emptyHeatmapRow(name, weeks, name);
      for (let week = 0; week < weeks; week++) {
        const wave = (Math.sin(row * 1.7 + week * 0.45) + 1) / 2; // 0..1
        const capacity = 40 * (2 + (row % 5));
        const confirmed = Math.round(capacity * (0.2 + 0.6 * wave));
        const weighted = Math.round(confirmed + capacity * 0.25 * ((row + week) % 4) * 0.25);
        result.capacity[week] = capacity;
        result.confirmed[week] = confirmed;
        result.weighted[week] = weighted;
        result.p50[week] = weighted;
        result.p90[week] = Math.round(weighted * 1.2);
        result.exposure[week] = Math.round(weighted * 1.45);
        result.shortageProbability[week] = Math.min(100, Math.round((weighted / capacity) * 60));
      }
      return result;
    })
  };
}
