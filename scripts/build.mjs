// The production build, run by `npm start` (through scripts/run.mjs) and `npm run build`: the server compiled
// with esbuild into dist/server, the admin app with Vite into web/dist. Each output carries a hash of its
// sources and is rebuilt only when they changed, so a start after the first one compiles nothing.
// Plain JavaScript on purpose: it must run with bare `node` before anything is compiled.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SERVER_OUT = path.join(ROOT, 'dist/server');
const WEB_OUT = path.join(ROOT, 'web/dist');
const STAMP = '.source-hash';
/** Every entry point a user runs; each becomes dist/server/<name>.js. */
const SERVER_ENTRIES = {
  main: 'src/app/main.ts',
  worker: 'src/app/worker.ts',
  cli: 'src/app/cli.ts',
  'migrate-cli': 'src/platform/db/migrate-cli.ts',
};
const MIGRATIONS = 'src/platform/db/migrations';
// What the output depends on besides its own folder: dependency versions, compiler settings, this script.
const SHARED_INPUTS = ['package-lock.json', 'tsconfig.json', 'scripts/build.mjs'];

function listFiles(dir, skip) {
  const out = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (skip.has(rel)) continue;
    if (entry.isDirectory()) out.push(...listFiles(rel, skip));
    else out.push(rel);
  }
  return out;
}

/** A hash over the paths and contents of the inputs (sorted, so the order of readdir does not matter). */
function sourceHash(dirs, skip = new Set()) {
  const hash = createHash('sha256');
  const files = [...dirs.flatMap((d) => listFiles(d, skip)), ...SHARED_INPUTS].sort();
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(fs.readFileSync(path.join(ROOT, file)));
  }
  return hash.digest('hex');
}

const readStamp = (dir) => {
  try {
    return fs.readFileSync(path.join(dir, STAMP), 'utf8');
  } catch {
    return '';
  }
};

/**
 * Build into a private folder, then swap it in with a rename: two processes starting at once (start:web
 * and start:worker) never see a half-written output, and the last one to finish simply wins.
 */
async function replaceDir(target, fill) {
  const tmp = `${target}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  try {
    await fill(tmp);
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(tmp, target);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function buildServer(hash) {
  const { build } = await import('esbuild');
  await replaceDir(SERVER_OUT, async (tmp) => {
    await build({
      absWorkingDir: ROOT,
      entryPoints: SERVER_ENTRIES,
      outdir: tmp,
      bundle: true,
      splitting: true,
      // Dependencies stay in node_modules: the bundle holds only our code, so the build takes about a second.
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: true,
      logLevel: 'warning',
    });
    // The migrator reads its SQL files next to the module that contains it (see platform/db/migrate.ts).
    fs.cpSync(path.join(ROOT, MIGRATIONS), path.join(tmp, 'migrations'), { recursive: true });
    fs.writeFileSync(path.join(tmp, STAMP), hash);
  });
}

function buildWeb(hash) {
  return replaceDir(WEB_OUT, (tmp) => {
    const vite = pathToFileURL(path.join(ROOT, 'node_modules/vite/bin/vite.js'));
    execFileSync(
      process.execPath,
      [fileURLToPath(vite), 'build', '--config', 'web/vite.config.ts', '--outDir', tmp, '--emptyOutDir'],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    fs.writeFileSync(path.join(tmp, STAMP), hash);
  });
}

/** Build what is missing or stale; prints what it did and how long it took. */
export async function ensureBuilt({ server = true, web = true, log = (line) => console.error(line) } = {}) {
  if (server) {
    const hash = sourceHash(['src']);
    if (readStamp(SERVER_OUT) !== hash) {
      const started = Date.now();
      await buildServer(hash);
      log(`Compiled the server into dist/server in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    }
  }
  if (web) {
    const hash = sourceHash(['web'], new Set(['web/dist', 'web/node_modules']));
    if (readStamp(WEB_OUT) !== hash) {
      const started = Date.now();
      log('Building the admin app (once; again only when web/ changes)…');
      await buildWeb(hash);
      log(`Built the admin app into web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const only = process.argv.slice(2);
  await ensureBuilt({
    server: only.length === 0 || only.includes('--server'),
    web: only.length === 0 || only.includes('--web'),
  });
}
