import path from 'node:path';

/** Root of all per-run scratch directories (each vitest run gets its own below it, see global-setup). */
export const TEST_TMP_ROOT = path.resolve('.test-tmp');

declare module 'vitest' {
  export interface ProvidedContext {
    testTmp: string;
  }
}
