import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const production = {
  NODE_ENV: 'production',
  NANGO_SECRET_KEY: 'nango-secret',
  NANGO_WEBHOOK_SIGNING_KEY: 'nango-signing-key',
};

describe('loadConfig', () => {
  it('creates the demo tenant by default only outside production', () => {
    expect(loadConfig({}).DEMO_ON_FIRST_START).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).DEMO_ON_FIRST_START).toBe(true);
    expect(loadConfig({ DEMO_ON_FIRST_START: 'false' }).DEMO_ON_FIRST_START).toBe(false);
    expect(loadConfig(production).DEMO_ON_FIRST_START).toBe(false);
    expect(loadConfig({ ...production, DEMO_ON_FIRST_START: 'false' }).DEMO_ON_FIRST_START).toBe(false);
  });

  it('refuses the demo tenant in production, naming the variable', () => {
    expect(() => loadConfig({ ...production, DEMO_ON_FIRST_START: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...production, DEMO_ON_FIRST_START: '1' })).toThrow(/DEMO_ON_FIRST_START/);
  });

  it('refuses DOWNLOAD_HTTP_ALLOW_HOSTS in production, allows it elsewhere', () => {
    expect(() => loadConfig({ ...production, DOWNLOAD_HTTP_ALLOW_HOSTS: '127.0.0.1' })).toThrow(ConfigError);
    expect(() =>
      loadConfig({
        ...production,
        DOWNLOAD_HTTP_ALLOW_HOSTS: 'files.internal',
      }),
    ).toThrow(/DOWNLOAD_HTTP_ALLOW_HOSTS/);
    expect(loadConfig(production).DOWNLOAD_HTTP_ALLOW_HOSTS).toEqual([]);
    expect(
      loadConfig({
        NODE_ENV: 'test',
        DOWNLOAD_HTTP_ALLOW_HOSTS: '127.0.0.1, localhost',
      }).DOWNLOAD_HTTP_ALLOW_HOSTS,
    ).toEqual(['127.0.0.1', 'localhost']);
  });

  it('trusts X-Forwarded-For only when TRUST_PROXY is set', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(() => loadConfig({ TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY/);
  });

  it('requires the webhook signing key whenever real Nango is configured, naming where to find it', () => {
    const { NANGO_WEBHOOK_SIGNING_KEY: _omitted, ...withoutKey } = production;
    expect(() => loadConfig(withoutKey)).toThrow(ConfigError);
    expect(() => loadConfig(withoutKey)).toThrow(/NANGO_WEBHOOK_SIGNING_KEY.*Environment settings → Webhooks/);
    expect(() => loadConfig({ NANGO_SECRET_KEY: 'nango-secret', SANDBOX: 'off' })).toThrow(/NANGO_WEBHOOK_SIGNING_KEY/);
    // Sandbox mode brings its own fake Nango with its own signing key.
    expect(loadConfig({ NANGO_SECRET_KEY: 'nango-secret', SANDBOX: 'on' }).sandbox).toBe(true);
  });

  it('warns when PUBLIC_URL is unset outside development, and only then', () => {
    expect(loadConfig({ ...production }).warnings.join(' ')).toMatch(/PUBLIC_URL is not set/);
    expect(loadConfig({ NODE_ENV: 'test' }).warnings.join(' ')).toMatch(/PUBLIC_URL/);
    expect(loadConfig({}).warnings).toEqual([]);
    expect(loadConfig({ ...production, PUBLIC_URL: 'https://trust.example.com' }).warnings).toEqual([]);
  });
});
