import { ConfigError, loadConfig, type Config } from '../platform/config.ts';
import { EmbeddedDatabaseInUse, openDatabase } from '../platform/db/client.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import type { WithDb } from '../connectors/notion/index.ts';
import { runCliCommand } from './cli-commands.ts';
import { handOffCommand } from './cli-handoff.ts';

/**
 * The admin CLI. It opens the database itself; when the app is running on the embedded database (which
 * only one process can open) the command is handed to the app instead, which runs it and streams back
 * the output.
 */
const argv = process.argv.slice(2);
const io = {
  stdout: (text: string) => process.stdout.write(text),
  stderr: (line: string) => console.error(line),
  cwd: process.cwd(),
};

const localDatabase =
  (config: Config): WithDb =>
  async (fn) => {
    const handle = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
    try {
      await migrateToLatest(handle.db);
      return await fn(handle.db);
    } finally {
      await handle.close();
    }
  };

async function main(): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`Error: ${err.message}`);
    return 1;
  }
  try {
    return await runCliCommand(argv, { config, withDb: localDatabase(config), ...io });
  } catch (err) {
    if (!(err instanceof EmbeddedDatabaseInUse)) throw err;
    // Nothing was written: the database could not be opened, so the whole command is handed over.
    try {
      return await handOffCommand(config.dataDir, argv, io);
    } catch {
      console.error(
        `Error: ${err.message} That process does not accept CLI commands (is it an older version, or not the app?).`,
      );
      return 1;
    }
  }
}

process.exitCode = await main();
