import type { AccessLevel } from '../../../src/contracts/access-levels.ts';
import { ACCESS_LEVEL_LABELS, ACCESS_LEVEL_OPTIONS } from './format.ts';

/**
 * The access levels as `<option>`s, in order and by their one name, for any access-level `<select>`; `except`
 * leaves out a level the select already offers in its own words.
 */
export function AccessLevelOptions({ except }: { except?: AccessLevel }) {
  return ACCESS_LEVEL_OPTIONS.filter((level) => level !== except).map((level) => (
    <option key={level} value={level}>
      {ACCESS_LEVEL_LABELS[level]}
    </option>
  ));
}
