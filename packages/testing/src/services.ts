import { canConnectTcp, canConnectToDatabase, inheritedEnvironment, localServices } from '@letstalk/stack';

export { inheritedEnvironment, localServices };

/** The services every integration test needs; a missing one fails the run with what to start. */
export async function requireServices(): Promise<void> {
  const { databaseUrl, natsUrl: natsAddress } = localServices();
  const natsUrl = new URL(natsAddress);
  const problems: string[] = [];
  if (!(await canConnectToDatabase(databaseUrl))) {
    problems.push(
      `MariaDB/MySQL is not reachable at ${new URL(databaseUrl).host} as ${new URL(databaseUrl).username}. ` +
        'Start it (e.g. `start-stop-daemon --start --oknodo --background --exec "$(command -v mariadbd)" -- --user=mysql`), ' +
        'set DATABASE_URL, or run `.ci/run`, which installs and starts it.',
    );
  }
  if (!(await canConnectTcp(natsUrl.hostname, Number(natsUrl.port || 4222)))) {
    problems.push(
      `NATS is not reachable at ${natsUrl.host}. Start it with JetStream ` +
        '(`nats-server -a 127.0.0.1 -p 4222 -js`), set NATS_URL, or run `.ci/run`.',
    );
  }
  if (problems.length > 0) throw new Error(`The tests need the real services:\n- ${problems.join('\n- ')}`);
}
