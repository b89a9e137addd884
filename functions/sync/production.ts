import type { SyncConfig } from "./config.ts";
import type { SyncServices } from "./wiring.ts";

export type Log = (event: Record<string, unknown>) => void;

/**
 * The sync services a Lambda builds on its first invocation, from SST links (Table, Google
 * secrets, TokenKey) and the environment; shared by the worker and the renew cron. Everything is
 * imported here, on first use, so nothing of it runs at cold start.
 */
export async function productionSyncServices(): Promise<{
  config: SyncConfig;
  services: SyncServices;
  log: Log;
}> {
  const [
    { Resource },
    { syncConfig },
    { createDynamoClient },
    { TokenCipher },
    { createSyncServices },
  ] = await Promise.all([
    import("sst"),
    import("./config.ts"),
    import("../adapters/dynamo/client.ts"),
    import("../adapters/dynamo/crypto.ts"),
    import("./wiring.ts"),
  ]);
  const config = syncConfig((name) => Reflect.get(Resource, name), process.env);
  const log: Log = (event) => console.log(JSON.stringify(event));
  const services = createSyncServices({
    dynamo: createDynamoClient(),
    tableName: config.tableName(),
    cipher: TokenCipher.fromBase64(config.tokenKey()),
    google: config.google(),
    log,
  });
  return { config, services, log };
}
