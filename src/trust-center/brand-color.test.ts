import { describe, expect, it } from 'vitest';
import { contrastRatio, MIN_CONTRAST, tint } from './brand-color.ts';

describe('brand colour contrast', () => {
  it('matches the WCAG reference values', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
    // #767676 is the lightest grey that passes AA on white (4.54:1); #777777 fails (4.48:1).
    expect(contrastRatio('#767676', '#ffffff')).toBeGreaterThanOrEqual(MIN_CONTRAST);
    expect(contrastRatio('#777777', '#ffffff')).toBeLessThan(MIN_CONTRAST);
  });
  it('is symmetric', () => {
    expect(contrastRatio('#1d4ed8', '#ffffff')).toBeCloseTo(contrastRatio('#ffffff', '#1d4ed8'), 10);
  });
  it('tints towards white', () => {
    expect(tint('#000000', 0.1)).toBe('#e6e6e6');
    expect(tint('#1d4ed8', 1)).toBe('#1d4ed8');
    expect(tint('#1d4ed8', 0)).toBe('#ffffff');
  });
});
