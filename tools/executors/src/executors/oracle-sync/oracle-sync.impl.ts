import { isAbsolute, join } from 'node:path';
import { lavaExecutor } from '../../lib/core/executor';
import { ORACLE_BASE_URL, ORACLE_DIR, ORACLE_TYPES, syncOracle } from '../../lib/images/oracle';
import { redactUrl } from '../../lib/core/redact';
import type { OracleSyncExecutorSchema } from './schema';

export default lavaExecutor<OracleSyncExecutorSchema>(async (options, context) => {
  const baseUrl = options.baseUrl ?? ORACLE_BASE_URL;
  const directory = options.directory ?? ORACLE_DIR;
  const target = isAbsolute(directory) ? directory : join(context.root, directory);
  console.log(`Syncing Oracle Instant Client zips from ${redactUrl(baseUrl)} into ${directory}`);
  const results = await syncOracle({
    directory: target,
    baseUrl,
    types: options.types ?? ORACLE_TYPES,
    log: (line) => console.log(`  ${line}`),
  });
  const fetched = results.filter((r) => r.downloaded).length;
  console.log(`${fetched} downloaded, ${results.length - fetched} up to date.`);
});
