/**
 * Brand colours on the public site: the colour fills primary buttons (white text on it) and colours links
 * on a white page, so it must reach WCAG AA contrast (4.5:1) against white. Pure functions.
 */

/** WCAG AA for normal-size text. */
export const MIN_CONTRAST = 4.5;

function channels(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Relative luminance (WCAG 2.x) of a `#rrggbb` colour. */
export function luminance(hex: string): number {
  const [r, g, b] = channels(hex).map((v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Contrast ratio of two `#rrggbb` colours, from 1 (same) to 21 (black on white). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The pale tint used behind icons and on hover: the colour mixed into white at `share`. */
export function tint(hex: string, share = 0.1): string {
  return `#${channels(hex)
    .map((v) => Math.round(255 - (255 - v) * share))
    .map((v) => v.toString(16).padStart(2, '0'))
    .join('')}`;
}
