/**
 * The periodic sync cron (every 15 minutes): one Gmail and one Calendar job for every connected,
 * unpaused account, catching whatever a push missed.
 */
export async function runPeriodicSync(): Promise<{ accounts: number; jobs: number }> {
  const [
    { Resource },
    { syncConfig },
    { createDynamoClient },
    { TokenCipher },
    { AccountStore },
    { createSqsQueue },
    { enqueuePeriodicSyncs },
  ] = await Promise.all([
    import("sst"),
    import("../sync/config.ts"),
    import("../adapters/dynamo/client.ts"),
    import("../adapters/dynamo/crypto.ts"),
    import("../adapters/dynamo/accounts.ts"),
    import("../adapters/queue/sqs.ts"),
    import("../sync/periodic.ts"),
  ]);
  const config = syncConfig((name) => Reflect.get(Resource, name), process.env);
  const accounts = new AccountStore({
    client: createDynamoClient(),
    tableName: config.tableName(),
    cipher: TokenCipher.fromBase64(config.tokenKey()),
  });
  return enqueuePeriodicSyncs(accounts, createSqsQueue({ queueUrl: config.queueUrl() }));
}

export const handler = async () => {
  const result = await runPeriodicSync();
  console.log(JSON.stringify({ event: "sync.enqueued", ...result }));
  return result;
};
