import { describe, expect, it } from 'vitest';
import { SharedFreshLookups } from './shared-fresh-lookups.ts';

/** A lookup whose answers the test releases one by one, counting how many were started. */
function controlledLookup() {
  const started: { resolve: (v: string) => void; reject: (e: Error) => void }[] = [];
  const lookup = () => new Promise<string>((resolve, reject) => started.push({ resolve, reject }));
  return { lookup, started };
}

describe('shared fresh lookups', () => {
  it('callers arriving during a lookup share the next one, never the one already running', async () => {
    const lookups = new SharedFreshLookups<string>();
    const { lookup, started } = controlledLookup();
    const first = lookups.run('acme', lookup);
    const second = lookups.run('acme', lookup);
    const third = lookups.run('acme', lookup);
    expect(started).toHaveLength(1);
    started[0]!.resolve('version 1');
    expect(await first).toBe('version 1');
    // The queued lookup starts only once the running one ended, i.e. after the late callers arrived.
    await Promise.resolve();
    expect(started).toHaveLength(2);
    started[1]!.resolve('version 2');
    expect(await second).toBe('version 2');
    expect(await third).toBe('version 2');
    expect(lookups.size).toBe(0);
  });

  it('keys are independent, a failed lookup fails only its own callers, and the next caller starts afresh', async () => {
    const lookups = new SharedFreshLookups<string>();
    const { lookup, started } = controlledLookup();
    const a = lookups.run('a', lookup);
    const b = lookups.run('b', lookup);
    expect(started).toHaveLength(2);
    started[0]!.reject(new Error('connection lost'));
    started[1]!.resolve('b answer');
    await expect(a).rejects.toThrow('connection lost');
    expect(await b).toBe('b answer');
    const again = lookups.run('a', lookup);
    expect(started).toHaveLength(3);
    started[2]!.resolve('a answer');
    expect(await again).toBe('a answer');
  });
});
