// How the policy simulator writes its dependency ratio (its money axes: components/chart-axis.ts).
// Pure, so a test reads it as the page does (src/simulation/simulation-web.test.ts).

/** A dependency ratio in parts per million as a percent with two decimals (37.10%), half up. */
export function ratioText(ppm: number): string {
  const hundredths = Math.round(ppm / 100);
  return `${Math.trunc(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}%`;
}

/**
 * The catalogue key of a run saved without a name: the server stores a bilingual default
 * (DEFAULT_RUN_NAME in src/simulation/simulation.service.ts), which read "基线 baseline" in the
 * Chinese page. Null for a name the user gave.
 */
export function defaultRunNameKey(name: string): 'sim.unnamed.baseline' | 'sim.unnamed.scenario' | null {
  if (name === '基线 baseline') return 'sim.unnamed.baseline';
  if (name === '方案 scenario') return 'sim.unnamed.scenario';
  return null;
}
