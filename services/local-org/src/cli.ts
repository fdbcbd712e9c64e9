import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { createLocalOrg } from './local-org';

/**
 * `npm start -w @handoff/local-org -- [--project <dir>] [--data <dir>] [--port <n>] [--permission <name>]...`: runs
 * a local org until interrupted and prints how to reach it. Each `--permission` grants the admin user a custom
 * permission (`$Permission.X` in validation rules).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      project: { type: 'string', default: path.resolve(__dirname, '..', '..', '..') },
      data: { type: 'string' },
      port: { type: 'string', default: '0' },
      'bulk-delay-ms': { type: 'string', default: '0' },
      permission: { type: 'string', multiple: true, default: [] }
    }
  });
  const projectRoot = path.resolve(values.project);
  const org = await createLocalOrg({
    projectRoot,
    dataDir: path.resolve(values.data ?? path.join(projectRoot, '.handoff', 'local-org')),
    port: Number(values.port),
    bulkDelayMs: Number(values['bulk-delay-ms']),
    customPermissions: values.permission
  });
  for (const problem of org.problems) console.error(`warning: ${problem}`);
  console.log(
    JSON.stringify({
      instanceUrl: org.url,
      accessToken: org.accessToken,
      username: org.username,
      refreshToken: org.refreshToken
    })
  );
  const stop = () => {
    void org.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
