// Runs one compiled entry point (main, worker, cli, migrate-cli) after making sure the build is current:
// `node scripts/run.mjs cli token:create …`. Used by every npm script that starts something, so a fresh
// clone needs no separate build step and an unchanged tree starts without compiling anything.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureBuilt } from './build.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENTRIES = new Set(['main', 'worker', 'cli', 'migrate-cli']);

const [entry, ...args] = process.argv.slice(2);
if (!entry || !ENTRIES.has(entry)) {
  console.error(`Usage: node scripts/run.mjs <${[...ENTRIES].join('|')}> [arguments]`);
  process.exit(2);
}
// Only the web server serves the admin app; the worker and the CLI never wait for its build.
await ensureBuilt({ web: entry === 'main' });
const file = path.join(ROOT, 'dist/server', `${entry}.js`);
// The entry reads its own arguments from process.argv, as if it had been started directly.
process.argv = [process.argv[0], file, ...args];
await import(pathToFileURL(file).href);
