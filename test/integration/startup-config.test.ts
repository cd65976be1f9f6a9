import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** The real entry point, started as an operator would, with real Nango configured but no signing key. */
function startMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/app/main.ts'],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (err, _stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stderr }),
    );
  });
}

describe('start-up', () => {
  it('outside sandbox mode, refuses to start without NANGO_WEBHOOK_SIGNING_KEY and says where to find it', async () => {
    const { code, stderr } = await startMain({
      NODE_ENV: 'production',
      NANGO_SECRET_KEY: '6f1a1d2e-58c8-4a4e-9d53-0c2b9f6d1e2a',
      PORT: '0',
    });
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(stderr).toContain('NANGO_WEBHOOK_SIGNING_KEY');
    expect(stderr).toContain('Environment settings → Webhooks');
  });
});
