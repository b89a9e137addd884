import { AccountStore } from "../../functions/adapters/dynamo/accounts.ts";
import { generateTokenKey, TokenCipher } from "../../functions/adapters/dynamo/crypto.ts";
import { DynamoLedger } from "../../functions/adapters/dynamo/ledger.ts";
import { SummaryMarkers } from "../../functions/adapters/dynamo/summary-markers.ts";
import { createGoogleClients } from "../../functions/adapters/google/clients.ts";
import { GOOGLE_SCOPE_LIST } from "../../functions/adapters/google/scopes.ts";
import type { LedgerRecord } from "../../functions/core/ledger.ts";
import type { SettingsInput } from "../../functions/schemas/settings.ts";
import type { SummaryJobDeps } from "../../functions/summary/job.ts";
import { createSummaryDeps } from "../../functions/summary/wiring.ts";
import { type GoogleEmulator, startGoogleEmulator } from "../emulator/index.ts";
import { startTestDynamo, type TestDynamo } from "../helpers/dynalite.ts";

export const OWNER = "alex@morganadvisory.example";

/** The real stores on dynalite and the real Google clients on the emulator, one clock. */
export interface World {
  dynamo: TestDynamo;
  /** The table the stores below use; `freshTable` moves everything to an empty one. */
  tableName: string;
  emulator: GoogleEmulator;
  cipher: TokenCipher;
  accounts: AccountStore;
  markers: SummaryMarkers;
  clock: { now: Date };
  google: Parameters<typeof createSummaryDeps>[0]["google"];
  freshTable(): Promise<void>;
  close(): Promise<void>;
}

export async function startWorld(users: string[] = [OWNER]): Promise<World> {
  const [dynamo, emulator] = await Promise.all([
    startTestDynamo(),
    startGoogleEmulator({ users: users.map((email) => ({ email, name: "Alex Morgan" })) }),
  ]);
  const clock = { now: new Date("2025-03-31T07:00:00.000Z") };
  const cipher = TokenCipher.fromBase64(generateTokenKey());
  const now = () => clock.now;
  const stores = (tableName: string) => ({
    tableName,
    accounts: new AccountStore({ client: dynamo.client, tableName, cipher, now }),
    markers: new SummaryMarkers({ client: dynamo.client, tableName, now }),
  });
  const world: World = {
    dynamo,
    emulator,
    cipher,
    clock,
    ...stores(dynamo.tableName),
    google: {
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
      rootUrl: emulator.url,
      endpoints: {
        authUrl: emulator.endpoints.authUrl,
        tokenUrl: emulator.endpoints.tokenUrl,
        revokeUrl: emulator.endpoints.revokeUrl,
        certsUrl: emulator.endpoints.certsUrl,
      },
      retry: { maxAttempts: 3, sleep: async () => {}, random: () => 0.5 },
      requestTimeoutMs: 2_000,
    },
    async freshTable() {
      Object.assign(world, stores(await dynamo.newTable()));
    },
    async close() {
      await Promise.all([dynamo.close(), emulator.close()]);
    },
  };
  return world;
}

/** A connected account with a live watch and channel, and these records in its ledger. */
export async function addAccount(
  world: World,
  options: {
    accountId: string;
    email?: string;
    settings?: SettingsInput;
    records?: LedgerRecord[];
  },
): Promise<{ ledger: DynamoLedger; email: string }> {
  const email = options.email ?? OWNER;
  await world.accounts.createAccount({
    accountId: options.accountId,
    email,
    settings: options.settings ?? { timeZone: "Europe/London", owner: { name: "Alex Morgan" } },
  });
  const issued = world.emulator.issueTokens(email, { scopes: [...GOOGLE_SCOPE_LIST] });
  await world.accounts.setRefreshToken(options.accountId, issued.refresh_token);
  const later = new Date(world.clock.now.getTime() + 5 * 86_400_000);
  await world.accounts.setGmailWatch(options.accountId, { expiration: later });
  await world.accounts.setCalendarChannel(options.accountId, {
    id: `ch-${options.accountId}`,
    resourceId: "r",
    expiration: later,
  });
  const ledger = new DynamoLedger({
    client: world.dynamo.client,
    tableName: world.tableName,
    accountId: options.accountId,
    now: () => world.clock.now,
  });
  for (const record of options.records ?? []) await ledger.record(record);
  return { ledger, email };
}

/** Creates a real draft in the emulator's mailbox and returns its id. */
export async function createDraft(world: World, email: string, subject: string): Promise<string> {
  const issued = world.emulator.issueTokens(email, { scopes: [...GOOGLE_SCOPE_LIST] });
  const { gmail } = createGoogleClients({ ...world.google, refreshToken: issued.refresh_token });
  const raw = `From: ${email}\r\nTo: someone@client.example\r\nSubject: ${subject}\r\n\r\nThanks!\r\n`;
  const created = await gmail.createDraft({ threadId: "", raw });
  return created.draftId;
}

export function jobDeps(
  world: World,
  overrides: Partial<SummaryJobDeps> & { remainingMs?: () => number } = {},
): SummaryJobDeps {
  return {
    ...createSummaryDeps({
      dynamo: world.dynamo.client,
      tableName: world.tableName,
      cipher: world.cipher,
      google: world.google,
      settingsUrl: "https://decorum.example/settings",
      remainingMs: overrides.remainingMs ?? (() => Number.POSITIVE_INFINITY),
      now: () => world.clock.now,
    }),
    ...overrides,
  };
}
