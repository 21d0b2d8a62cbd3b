// The policy simulator (issue 17 item 4): run a scenario, list and read stored runs, export CSV.
import { request, type Answer, type Body } from './api.ts';

export type SimulationRun = Answer<'/api/v1/simulations/{id}'>;
export type SimulationSummary = Answer<'/api/v1/simulations'>['items'][number];
export type ScenarioInput = Body<'/api/v1/simulations'>;

export const simulationApi = {
  run: (body: ScenarioInput) => request<SimulationRun>('POST', '/api/v1/simulations', body),
  list: () =>
    request<Answer<'/api/v1/simulations'>>('GET', '/api/v1/simulations', undefined, { pageSize: 50 }),
  get: (id: number) => request<SimulationRun>('GET', `/api/v1/simulations/${id}`),
  csvUrl: (id: number) => `/api/v1/simulations/${id}/export.csv`,
};

/** "2.5" (percent, as typed) → 25000 parts per million, by string arithmetic; null when not a number. */
export function percentToPpm(text: string): number | null {
  const m = /^\s*(\d{1,3})(?:\.(\d{1,4}))?\s*$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 10_000 + Number((m[2] ?? '').padEnd(4, '0'));
}

/** 25000 ppm → "2.5" (percent), by integer arithmetic. */
export function ppmToPercentText(ppm: number): string {
  const whole = Math.trunc(ppm / 10_000);
  const frac = String(Math.abs(ppm % 10_000))
    .padStart(4, '0')
    .replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}
