// How the policy simulator writes its dependency ratio (its money axes: components/chart-axis.ts).
// Pure, so a test reads it as the page does (src/simulation/simulation-web.test.ts).

/** A dependency ratio in parts per million as a percent with two decimals (37.10%), half up. */
export function ratioText(ppm: number): string {
  const hundredths = Math.round(ppm / 100);
  return `${Math.trunc(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}%`;
}
