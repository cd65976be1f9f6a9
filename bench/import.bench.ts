/**
 * Import benchmark (not a test): `npm run bench:import`.
 *
 * A: a 700-block nested page through the fake Notion with 100 ms latency and Notion's rate limit
 *    (3 req/s, burst 10): calls made vs the minimum, wall time vs the rate bound, 429s received.
 * B: the same page without a rate limit, our fetch + convert vs notion-to-md v3: once with no latency
 *    (where both are bound by the CPU of this process) and once with the 100 ms latency (where the
 *    concurrency of our fetcher shows).
 * C: conversion alone (convertBlocks on an already fetched tree).
 */
import { parseArgs } from 'node:util';
import { Client } from '@notionhq/client';
import { NotionToMarkdown } from 'notion-to-md';
import { convertBlocks } from '../src/connectors/notion/convert/index.ts';
import type { BlockNode } from '../src/connectors/notion/convert/types.ts';
import { createNotionGateway } from '../src/connectors/notion/gateway.ts';
import { createRateLimiter, type RateLimitOptions } from '../src/connectors/notion/rate-limiter.ts';
import { countMinimumCalls, fetchBlockTree } from '../src/connectors/notion/tree.ts';
import { demoWorkspace } from '../src/sandbox/demo-workspace/workspace.ts';
import { fakeId, generateNestedPage, startFakeNotion, type FakeNotion } from '../src/sandbox/fake-notion/index.ts';
import { scenarioWorkers } from './import-workers.ts';
import { formatMs, median, printTable, verdict } from './support/report.ts';

const BLOCKS = 700;
const NOTION_LIMIT: RateLimitOptions = { rps: 3, burst: 10 };
// `npm run bench:import -- --limiter-rps 2.95` runs scenario A with a margin below Notion's rate.
const { values: args } = parseArgs({
  options: {
    'limiter-rps': { type: 'string', default: String(NOTION_LIMIT.rps) },
    // `npm run bench:import -- --workers 2` runs scenario D instead: worker processes sharing one budget.
    workers: { type: 'string' },
  },
});
const WORKERS = args.workers === undefined ? null : Number(args.workers);
if (WORKERS !== null && !(Number.isInteger(WORKERS) && WORKERS >= 1))
  throw new Error('--workers must be a whole number ≥ 1');
/** Scenario D imports these pages (about 45 Notion calls each) with 1 and with --workers processes. */
const WORKER_PAGES = Array.from({ length: 4 }, (_, i) =>
  generateNestedPage({ blocks: 300, id: fakeId(`bench-workers-page-${i}`), title: `Bench page ${i + 1}` }),
);
const OUR_LIMIT: RateLimitOptions = {
  rps: Number(args['limiter-rps']),
  burst: NOTION_LIMIT.burst,
};
if (!(OUR_LIMIT.rps > 0)) throw new Error('--limiter-rps must be a positive number');
const LATENCY_MS = 100;
const ITERATIONS = 7;
const ITERATIONS_WITH_LATENCY = 3;
const UNLIMITED: RateLimitOptions = { rps: 1e9, burst: 1e9 };
const CONVERT_ITERATIONS = 200;
const TOKEN = 'bench-token';

const nestedPage = generateNestedPage({ blocks: BLOCKS });

function gateway(fake: FakeNotion, limit: RateLimitOptions) {
  return createNotionGateway({
    mode: 'direct',
    token: TOKEN,
    baseUrl: fake.url,
    limiter: createRateLimiter(limit),
    maxRetries: 3,
  });
}

/** Fetch and convert the nested page with our gateway; returns the tree, calls made and wall time. */
async function ours(
  fake: FakeNotion,
  limit: RateLimitOptions,
): Promise<{ tree: BlockNode[]; markdown: string; calls: number; ms: number }> {
  const g = gateway(fake, limit);
  const started = performance.now();
  const tree = await fetchBlockTree(g, nestedPage.id);
  const { markdown } = convertBlocks(tree);
  return {
    tree,
    markdown,
    calls: g.callCount(),
    ms: performance.now() - started,
  };
}

async function notionToMd(fake: FakeNotion): Promise<{ markdown: string; ms: number }> {
  const n2m = new NotionToMarkdown({
    notionClient: new Client({ auth: TOKEN, baseUrl: fake.url }),
  });
  const started = performance.now();
  const markdown = n2m.toMarkdownString(await n2m.pageToMarkdown(nestedPage.id)).parent ?? '';
  return { markdown, ms: performance.now() - started };
}

/** Runs `fn` and reports how many API requests (and 429s) the fake saw meanwhile. */
async function counted<T>(
  fake: FakeNotion,
  fn: () => Promise<T>,
): Promise<T & { requests: number; rateLimited: number }> {
  fake.control.resetLog();
  const result = await fn();
  const counters = fake.control.counters();
  return {
    ...result,
    requests: counters.total,
    rateLimited: counters.byStatus['429'] ?? 0,
  };
}

async function scenarioA(fake: FakeNotion): Promise<void> {
  fake.control.setLatency(LATENCY_MS);
  fake.control.setRateLimit(NOTION_LIMIT);
  const run = await counted(fake, () => ours(fake, OUR_LIMIT));
  const minimum = countMinimumCalls(run.tree);
  const boundMs = (Math.max(0, run.calls - NOTION_LIMIT.burst) / NOTION_LIMIT.rps) * 1000;
  const ratio = run.ms / boundMs;
  console.log(
    `\nA. ${BLOCKS}-block nested page, fake Notion with ${LATENCY_MS} ms latency and ${NOTION_LIMIT.rps} req/s (burst ${NOTION_LIMIT.burst}); our limiter ${OUR_LIMIT.rps} req/s, burst ${OUR_LIMIT.burst}`,
  );
  printTable(
    ['measure', 'value', 'target', ''],
    [
      ['Notion calls made', String(run.calls), `= minimum (${minimum})`, verdict(run.calls === minimum)],
      ['requests seen by Notion', String(run.requests), `= calls made`, verdict(run.requests === run.calls)],
      ['wall time (fetch + convert)', formatMs(run.ms), '', ''],
      [`rate bound (calls − ${NOTION_LIMIT.burst}) / ${NOTION_LIMIT.rps}`, formatMs(boundMs), '', ''],
      ['wall / bound', ratio.toFixed(3), '≤ 1.05', verdict(ratio <= 1.05)],
      ['429s received', String(run.rateLimited), '0', verdict(run.rateLimited === 0)],
    ],
  );
}

interface Comparison {
  our: number;
  theirs: number;
  ourCalls: number;
  theirCalls: number;
  ourChars: number;
  theirChars: number;
  tree: BlockNode[];
}

/** Our fetch + convert and notion-to-md's, alternately, `iterations` times each; medians. */
async function compare(fake: FakeNotion, iterations: number): Promise<Comparison> {
  const our: Array<Awaited<ReturnType<typeof ours>> & { requests: number }> = [];
  const theirs: Array<Awaited<ReturnType<typeof notionToMd>> & { requests: number }> = [];
  for (let i = 0; i < iterations; i += 1) {
    our.push(await counted(fake, () => ours(fake, UNLIMITED)));
    theirs.push(await counted(fake, () => notionToMd(fake)));
  }
  return {
    our: median(our.map((r) => r.ms)),
    theirs: median(theirs.map((r) => r.ms)),
    ourCalls: our[0]!.requests,
    theirCalls: theirs[0]!.requests,
    ourChars: our[0]!.markdown.length,
    theirChars: theirs[0]!.markdown.length,
    tree: our[0]!.tree,
  };
}

async function scenarioB(fake: FakeNotion, latencyMs: number, iterations: number): Promise<BlockNode[]> {
  fake.control.setLatency(latencyMs);
  fake.control.setRateLimit(null);
  const r = await compare(fake, iterations);
  const minimum = countMinimumCalls(r.tree);
  const speedup = r.theirs / r.our;
  console.log(
    `\nB. The same page, ${latencyMs === 0 ? 'no latency' : `${latencyMs} ms latency`}, no rate limit (median of ${iterations} runs each)`,
  );
  printTable(
    ['measure', 'ours', 'notion-to-md 3', 'target', ''],
    [
      ['fetch + convert', formatMs(r.our), formatMs(r.theirs), '', ''],
      [
        'Notion calls',
        String(r.ourCalls),
        String(r.theirCalls),
        `ours = minimum (${minimum})`,
        verdict(r.ourCalls === minimum),
      ],
      ['Markdown size (chars)', String(r.ourChars), String(r.theirChars), '', ''],
      // With no latency both sides only pay the same in-process round trips, so there is nothing for
      // concurrency to win; the target applies where requests take network time.
      latencyMs === 0
        ? ['speed ratio (theirs / ours)', `${speedup.toFixed(1)}×`, '1.0×', 'for reference', '']
        : ['speed ratio (theirs / ours)', `${speedup.toFixed(1)}×`, '1.0×', '≥ 10×', verdict(speedup >= 10)],
    ],
  );
  return r.tree;
}

function scenarioC(tree: BlockNode[]): void {
  convertBlocks(tree);
  const times: number[] = [];
  for (let i = 0; i < CONVERT_ITERATIONS; i += 1) {
    const started = performance.now();
    convertBlocks(tree);
    times.push(performance.now() - started);
  }
  console.log(`\nC. Conversion alone (convertBlocks on the fetched ${BLOCKS}-block tree, ${CONVERT_ITERATIONS} runs)`);
  printTable(
    ['measure', 'value'],
    [
      ['median', formatMs(median(times))],
      ['fastest', formatMs(Math.min(...times))],
      ['per block (median)', `${((median(times) * 1000) / BLOCKS).toFixed(1)} µs`],
    ],
  );
}

const workspace = demoWorkspace();
workspace.pages.push(nestedPage, ...WORKER_PAGES);
const fake = await startFakeNotion({ workspace });
try {
  if (WORKERS !== null) {
    await scenarioWorkers(fake, WORKER_PAGES, WORKERS, NOTION_LIMIT);
    process.exit(0);
  }
  console.log(`Import benchmark: fake Notion at ${fake.url}, Node ${process.version}`);
  // One untimed round of each side first, so no scenario measures JIT warm-up or opening connections.
  await ours(fake, UNLIMITED);
  await notionToMd(fake);
  await scenarioA(fake);
  const tree = await scenarioB(fake, 0, ITERATIONS);
  await scenarioB(fake, LATENCY_MS, ITERATIONS_WITH_LATENCY);
  scenarioC(tree);
} finally {
  await fake.close();
}
