import type { Ledger } from "../core/ledger.ts";
import type { Settings } from "../schemas/settings.ts";
import { localDataDir, localDynamoDir } from "./config.ts";
import { lockDataDir } from "./lock.ts";

/** The account `decorum triage --store local` records into (`decorum summary --account local`). */
export const LOCAL_ACCOUNT_ID = "local";
const LOCAL_ACCOUNT_EMAIL = "local@decorum.invalid";

export { LocalStoreBusy } from "./lock.ts";

/**
 * The ledger of the local account in the data directory `decorum start` uses (dynalite, so it
 * can be open in one process at a time). Close it when done: that releases the directory.
 */
export async function openLocalLedger(options: {
  cwd: string;
  env: Record<string, string | undefined>;
  settings: Settings;
  now?: () => Date;
}): Promise<{ ledger: Ledger; close(): Promise<void> }> {
  const [
    { startLocalDynamo },
    { AccountStore },
    { DynamoLedger },
    { TokenCipher },
    { loadLocalKeys },
  ] = await Promise.all([
    import("./dynalite.ts"),
    import("../adapters/dynamo/accounts.ts"),
    import("../adapters/dynamo/ledger.ts"),
    import("../adapters/dynamo/crypto.ts"),
    import("./keys.ts"),
  ]);
  const dataDir = localDataDir(options.env, options.cwd);
  const lock = await lockDataDir(dataDir, "decorum triage --store local");
  let local: Awaited<ReturnType<typeof startLocalDynamo>>;
  try {
    local = await startLocalDynamo({ dir: localDynamoDir(dataDir) });
  } catch (error) {
    await lock.release();
    throw error;
  }
  const close = async () => {
    await local.close();
    await lock.release();
  };
  try {
    const keys = await loadLocalKeys(dataDir, { sessionKey: null, tokenKey: null });
    const accounts = new AccountStore({
      client: local.client,
      tableName: local.tableName,
      cipher: TokenCipher.fromBase64(keys.tokenKey),
      ...(options.now ? { now: options.now } : {}),
    });
    // An account item, so `decorum summary --store local --account local` finds the records.
    await accounts.createAccount({
      accountId: LOCAL_ACCOUNT_ID,
      email: LOCAL_ACCOUNT_EMAIL,
      settings: options.settings,
    });
    const ledger = new DynamoLedger({
      client: local.client,
      tableName: local.tableName,
      accountId: LOCAL_ACCOUNT_ID,
      retentionDays: options.settings.retentionDays,
      ...(options.now ? { now: options.now } : {}),
    });
    return { ledger, close };
  } catch (error) {
    await close();
    throw error;
  }
}
