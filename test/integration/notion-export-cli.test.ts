import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { convertBlocks } from '../../src/connectors/notion/convert/index.ts';
import type { ExportManifest } from '../../src/connectors/notion/export/export-page.ts';
import { createNotionGateway } from '../../src/connectors/notion/gateway.ts';
import { createRateLimiter } from '../../src/connectors/notion/rate-limiter.ts';
import { fetchBlockTree } from '../../src/connectors/notion/tree.ts';
import { DEMO_IDS, DEMO_PDF_KEY, demoWorkspace } from '../../src/sandbox/demo-workspace/workspace.ts';
import { b, fakeId, rich, startFakeNotion, type FakeNotion } from '../../src/sandbox/fake-notion/index.ts';

// A 1×1 PNG: real image bytes, so the downloader's type sniffing accepts it as an image.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const IMAGE_PAGE = fakeId('export-cli:image-page');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const TOKEN = 'export-cli-token';

let fake: FakeNotion;
let scratch: string;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function runCli(args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    // The compiled CLI, as `npm run cli` runs it (the global setup has built it).
    execFile(
      process.execPath,
      ['scripts/run.mjs', 'cli', 'notion:export', ...args],
      {
        env: {
          ...process.env,
          NOTION_TOKEN: TOKEN,
          NOTION_API_BASE_URL: fake.url,
          DOWNLOAD_HTTP_ALLOW_HOSTS: '127.0.0.1',
          NANGO_SECRET_KEY: '',
          LOG_LEVEL: 'silent',
        },
        // Generous for a loaded 2-core machine; a compiled CLI normally answers within a second or two.
        timeout: 100_000,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

beforeAll(async () => {
  const workspace = demoWorkspace();
  workspace.pages.push({
    id: IMAGE_PAGE,
    title: 'Architecture diagram',
    children: [
      b.paragraph('Our network layout:'),
      b.hosted('image', {
        key: 'diagram.png',
        caption: rich('Network diagram'),
      }),
    ],
  });
  workspace.files = [
    ...(workspace.files ?? []),
    {
      key: 'diagram.png',
      contentType: 'image/png',
      bytesBase64: PNG.toString('base64'),
    },
  ];
  fake = await startFakeNotion({ workspace });
  scratch = await mkdtemp(path.join(inject('testTmp') ?? tmpdir(), 'notion-export-'));
});

afterAll(async () => {
  await fake?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe.concurrent('npm run cli -- notion:export', () => {
  it('prints exactly the page Markdown on stdout, given a Notion URL', async () => {
    const url = `https://www.notion.so/acme/Acme-Security-Overview-${DEMO_IDS.securityOverview.replace(/-/g, '')}`;
    const result = await runCli([url]);
    expect(result.stderr).not.toMatch(/^Error/m);
    expect(result.code).toBe(0);

    const gateway = createNotionGateway({
      mode: 'direct',
      token: TOKEN,
      baseUrl: fake.url,
      limiter: createRateLimiter({ rps: 1000, burst: 1000 }),
      maxRetries: 0,
    });
    const expected = convertBlocks(await fetchBlockTree(gateway, DEMO_IDS.securityOverview)).markdown;
    expect(result.stdout).toBe(expected);
    expect(result.stdout).toMatch(/^# Security at Acme\n/);
    expect(result.stdout).toContain('| Network isolation | Private VPCs, no public database endpoints | Platform |');
    expect(result.stdout).toContain('```nginx\n');
  });

  it('writes the attached PDF and its metadata for a page that holds a file', async () => {
    const out = path.join(scratch, 'dpa');
    const result = await runCli([DEMO_IDS.dataProcessingAddendum, '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');

    const manifest = JSON.parse(await readFile(path.join(out, 'document.json'), 'utf8')) as ExportManifest;
    expect(manifest).toMatchObject({
      id: DEMO_IDS.dataProcessingAddendum,
      title: 'Data Processing Addendum',
      kind: 'file',
      document: 'document.pdf',
      createdTime: '2026-01-20T10:05:00.000Z',
      lastEditedTime: '2026-03-30T15:40:00.000Z',
      parent: { type: 'workspace' },
      icon: { type: 'emoji', emoji: '📑' },
      warnings: [],
    });
    const pdf = await readFile(path.join(out, 'document.pdf'));
    const served = Buffer.from(demoWorkspace().files!.find((f) => f.key === DEMO_PDF_KEY)!.bytesBase64, 'base64');
    expect(manifest.file).toEqual({
      name: DEMO_PDF_KEY,
      contentType: 'application/pdf',
      size: served.length,
      sha256: sha256(served),
    });
    expect(sha256(pdf)).toBe(manifest.file!.sha256);
    expect((await readdir(out)).sort()).toEqual(['document.json', 'document.pdf']);
  });

  it('copies Notion-hosted images to assets/ and links them relatively', async () => {
    const out = path.join(scratch, 'image');
    const result = await runCli([IMAGE_PAGE, '--out', out]);
    expect(result.code).toBe(0);

    const asset = `assets/${sha256(PNG)}.png`;
    const markdown = await readFile(path.join(out, 'document.md'), 'utf8');
    expect(markdown).toContain('Our network layout:');
    expect(markdown).toContain(`](${asset})`);
    expect(markdown).not.toContain(fake.url);
    expect(await readFile(path.join(out, asset))).toEqual(PNG);
    const manifest = JSON.parse(await readFile(path.join(out, 'document.json'), 'utf8')) as ExportManifest;
    expect(manifest).toMatchObject({
      id: IMAGE_PAGE,
      kind: 'markdown',
      document: 'document.md',
      file: null,
      assets: [asset],
    });
    expect(manifest.contentHash).toBe(sha256(Buffer.from(markdown.replace(asset, `asset:${sha256(PNG)}.png`))));
  });

  it('fails with one clear line and exit code 1 for a page the integration cannot see', async () => {
    const result = await runCli([fakeId('export-cli:missing')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(
      result.stderr
        .trim()
        .split('\n')
        .filter((line) => !line.startsWith('npm warn')),
    ).toEqual([
      `Error: Notion page ${fakeId('export-cli:missing')} was not found or is not shared with the integration.`,
    ]);
  });
});
