/**
 * `npm run citus:install -- --source PATH`: builds Citus from the release tarball in PATH (and
 * its patches) and installs it into the local PostgreSQL, for the distributed-mode cluster.
 */
import { parseArgs } from 'node:util';
import { installCitus } from '../local-postgres/citus-install.js';
import { runCli } from './open-database.js';

await runCli(async () => {
  const { values } = parseArgs({ options: { source: { type: 'string' } } });
  const source = values.source ?? process.env.CITUS_SOURCE;
  if (!source) throw new Error('Say where the Citus source is: npm run citus:install -- --source PATH (or CITUS_SOURCE=PATH)');
  const started = Date.now();
  const result = installCitus(source);
  console.log(
    result.installed
      ? `Citus ${result.release} ${result.built ? 'built and ' : ''}installed in ${Math.round((Date.now() - started) / 1000)} s.`
      : `Citus ${result.release}: nothing to do.`,
  );
});
