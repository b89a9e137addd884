import type { RenewReport, WatchService } from "../sync/watch.ts";

/**
 * The daily renew cron: the Gmail watch of every connected account is renewed (Google's lasts 7
 * days; renewing daily leaves six days of slack) and Calendar channels expiring within two days
 * are replaced by new ones.
 */
export async function productionWatchService(): Promise<WatchService> {
  const [
    { Resource },
    { syncConfig },
    { createDynamoClient },
    { TokenCipher },
    { createSyncServices },
    { createWatchService },
  ] = await Promise.all([
    import("sst"),
    import("../sync/config.ts"),
    import("../adapters/dynamo/client.ts"),
    import("../adapters/dynamo/crypto.ts"),
    import("../sync/wiring.ts"),
    import("../sync/watch.ts"),
  ]);
  const config = syncConfig((name) => Reflect.get(Resource, name), process.env);
  const log = (event: Record<string, unknown>) => console.log(JSON.stringify(event));
  const services = createSyncServices({
    dynamo: createDynamoClient(),
    tableName: config.tableName(),
    cipher: TokenCipher.fromBase64(config.tokenKey()),
    google: config.google(),
    log,
  });
  return createWatchService({
    accounts: services.accounts,
    directory: services.directory,
    googleFor: services.googleFor,
    topicName: config.pubsubTopic(),
    calendarAddress: `${config.baseUrl()}/push/calendar`,
    log,
  });
}

export const handler = async (): Promise<RenewReport> => {
  const report = await (await productionWatchService()).renewAll();
  console.log(JSON.stringify({ event: "watch.renewed", ...report }));
  return report;
};
