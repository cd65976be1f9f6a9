import { loadConfigOrExit } from '../config.ts';
import { openDatabase } from './client.ts';
import { migrateToLatest } from './migrate.ts';

const config = loadConfigOrExit();
const handle = await openDatabase({
  databaseUrl: config.DATABASE_URL,
  dataDir: config.dataDir,
});
try {
  const applied = await migrateToLatest(handle.db);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
} finally {
  await handle.close();
}
