/**
 * npm run bench:public [-- --duration 10]
 *
 * The public site's anonymous pages (overview and a public document) against a bare node:http server that
 * serves the same bytes, at 10 and 100 connections, in the same run. Both servers run as their own
 * processes on loopback; the app is the compiled server on embedded PGlite, or on PostgreSQL when
 * DATABASE_URL is set (a scratch database is created on that server and dropped afterwards).
 * Goal: ≥ 0.5× the bare server's requests/s and p99 < 50 ms at 100 connections. Prints figures, asserts nothing.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';

const { values } = parseArgs({ options: { duration: { type: 'string', default: '10' } } });
const DURATION = Math.min(60, Math.max(2, Number(values.duration)));
const CONNECTIONS = [10, 100];
const DOCS = 24;

interface Target {
  url: string;
  child: ChildProcess;
}

/** Start a child process and wait for the line that tells its URL. */
async function startChild(args: string[], env: NodeJS.ProcessEnv, urlPattern: RegExp): Promise<Target> {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-20_000)));
  child.stderr!.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-20_000)));
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    const url = urlPattern.exec(log)?.[1];
    if (url) return { url, child };
    if (child.exitCode !== null) throw new Error(`child exited: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`child did not start: ${log}`);
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

async function stop(t: Target): Promise<void> {
  if (t.child.exitCode !== null) return;
  const exited = new Promise((r) => t.child.once('exit', r));
  t.child.kill('SIGTERM');
  await exited;
}

/** Sign in as the demo admin and publish a realistic library: public, restricted and internal documents. */
async function seed(base: string): Promise<string> {
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@acme.test', password: 'acme-demo-password' }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const levels = ['public', 'public', 'contacts', 'contacts_nda', 'internal'];
  const section = (i: number) =>
    `## Control ${i}\n\nAccess is reviewed **quarterly**; see [the policy](https://example.com/policy-${i}).\n\n| Control | Owner | Status |\n|---|---|---|\n| MFA | IT | Enforced |\n| Backups | Ops | Daily, encrypted |\n\n- Encryption at rest (AES-256)\n- TLS 1.2+ in transit\n- Logs kept 400 days\n`;
  let publicId = '';
  for (let i = 0; i < DOCS; i++) {
    const res = await fetch(`${base}/api/documents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({
        title: `Security document ${String(i).padStart(2, '0')}`,
        markdown: `# Security document ${i}\n\n${Array.from({ length: 12 }, (_, k) => section(k)).join('\n')}`,
        accessLevel: levels[i % levels.length],
      }),
    });
    const doc = (await res.json()) as { id: string; accessLevel: string };
    if (!publicId && doc.accessLevel === 'public') publicId = doc.id;
  }
  return `/t/acme/documents/${publicId}`;
}

const BARE_SERVER = `
import http from 'node:http';
import fs from 'node:fs';
const pages = JSON.parse(fs.readFileSync(process.env.BENCH_PAGES, 'utf8'));
const bodies = Object.fromEntries(Object.entries(pages).map(([p, b]) => [p, Buffer.from(b, 'utf8')]));
const server = http.createServer((req, res) => {
  const body = bodies[req.url];
  if (!body) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8', 'content-length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => console.log('listening http://127.0.0.1:' + server.address().port));
`;

async function measure(url: string, connections: number) {
  const r = await autocannon({ url, connections, duration: DURATION, pipelining: 1 });
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.timeouts + r.non2xx };
}

async function main() {
  execFileSync(process.execPath, ['scripts/build.mjs', '--server'], { stdio: 'inherit' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-bench-public-'));
  let databaseUrl: string | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  if (process.env.DATABASE_URL) {
    const name = `tc_bench_public_${Date.now()}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    dropDb = async () => {
      const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  const appEnv = {
    ...process.env,
    NODE_ENV: 'development',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl ?? '',
    PORT: '0',
    SANDBOX: 'off',
    NANGO_SECRET_KEY: '',
    DEMO_ON_FIRST_START: 'true',
    // The default level, as in production: every request is logged, and that is part of the cost measured.
    LOG_LEVEL: 'info',
    // Every request comes from one loopback address; the per-address limit on document pages would answer
    // most of them 429 and the run would measure the limiter instead of the page.
    PUBLIC_RATE_LIMIT_PER_MINUTE: '1000000000',
  };
  const app = await startChild(['dist/server/main.js', '--web-only'], appEnv, /"url":"(http:\/\/[^"]+)"/);
  const bare: Target[] = [];
  try {
    const docPath = await seed(app.url);
    const paths = { overview: '/t/acme', document: docPath };
    const pages: Record<string, string> = {};
    for (const p of Object.values(paths)) {
      const res = await fetch(`${app.url}${p}`);
      if (res.status !== 200) throw new Error(`${p}: ${res.status}`);
      pages[p] = await res.text();
    }
    const pagesFile = path.join(dataDir, 'pages.json');
    fs.writeFileSync(pagesFile, JSON.stringify(pages));
    const scriptFile = path.join(dataDir, 'bare-server.mjs');
    fs.writeFileSync(scriptFile, BARE_SERVER);
    bare.push(await startChild([scriptFile], { BENCH_PAGES: pagesFile }, /listening (http:\/\/\S+)/));
    const rssIdle = rssMb(app.child.pid!);

    const rows: string[] = [];
    for (const [name, p] of Object.entries(paths)) {
      for (const connections of CONNECTIONS) {
        await measure(`${app.url}${p}`, connections).catch(() => undefined); // warm-up
        const ours = await measure(`${app.url}${p}`, connections);
        const base = await measure(`${bare[0]!.url}${p}`, connections);
        rows.push(
          `| ${name} (${(pages[p]!.length / 1024).toFixed(1)} KB) | ${connections} | ${Math.round(ours.rps)} | ${Math.round(base.rps)} | ${(ours.rps / base.rps).toFixed(2)}× | ${ours.p99} ms | ${base.p99} ms | ${ours.errors} |`,
        );
      }
    }
    const rssLoaded = rssMb(app.child.pid!);
    console.log(
      `\nbench:public — ${databaseUrl ? 'PostgreSQL' : 'embedded PGlite'}, ${DURATION} s per run, ${os.cpus().length} CPUs, load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    console.log(
      '| page | connections | app req/s | bare node:http req/s | ratio | app p99 | bare p99 | app errors/non-2xx |',
    );
    console.log('|---|---|---|---|---|---|---|---|');
    rows.forEach((r) => console.log(r));
    console.log(
      `App RSS: ${rssIdle} MB after seeding, ${rssLoaded} MB after the runs. Goal: ratio ≥ 0.5 and p99 < 50 ms at 100 connections.`,
    );
  } finally {
    for (const b of bare) await stop(b);
    await stop(app);
    await dropDb?.();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
