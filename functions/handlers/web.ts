import type { Context } from "hono";
import { handle, type LambdaContext, type LambdaEvent } from "hono/aws-lambda";
import * as z from "zod";
import type { AppDeps } from "../http/app.tsx";

/**
 * The settings web app behind API Gateway's $default route. Dependencies are built on the first
 * request from SST links (Table, Jobs, GoogleClientId, GoogleClientSecret, SessionKey, TokenKey)
 * and the environment (DECORUM_BASE_URL, DECORUM_ALLOWED, and DECORUM_PUBSUB_TOPIC for the Gmail
 * watch that connecting starts); never at module load.
 */

const Valued = z.object({ value: z.string().min(1) });

/** API Gateway's view of the caller: HTTP API (v2) or REST API (v1) events. */
const SourceIp = z.union([
  z.object({
    event: z.object({ requestContext: z.object({ http: z.object({ sourceIp: z.string() }) }) }),
  }),
  z.object({
    event: z.object({ requestContext: z.object({ identity: z.object({ sourceIp: z.string() }) }) }),
  }),
]);

export function lambdaClientIp(c: Context): string | null {
  const parsed = SourceIp.safeParse(c.env);
  if (!parsed.success) return null;
  const context = parsed.data.event.requestContext;
  return "http" in context ? context.http.sourceIp : context.identity.sourceIp;
}

export async function productionWebDeps(): Promise<AppDeps> {
  const [
    { Resource },
    { syncConfig },
    { createDynamoClient },
    { TokenCipher },
    { AccountStore },
    { DynamoLedger },
    { createOAuth },
    { createWebStores },
    { createSqsQueue },
    { createSyncServices },
    { createWatchService },
  ] = await Promise.all([
    import("sst"),
    import("../sync/config.ts"),
    import("../adapters/dynamo/client.ts"),
    import("../adapters/dynamo/crypto.ts"),
    import("../adapters/dynamo/accounts.ts"),
    import("../adapters/dynamo/ledger.ts"),
    import("../adapters/google/oauth.ts"),
    import("../http/stores.ts"),
    import("../adapters/queue/sqs.ts"),
    import("../sync/wiring.ts"),
    import("../sync/watch.ts"),
  ]);
  const link = (name: string): unknown => Reflect.get(Resource, name);
  const config = syncConfig(link, process.env);
  const log = (event: Record<string, unknown>) => console.log(JSON.stringify(event));
  const dynamo = createDynamoClient();
  const tableName = config.tableName();
  const cipher = TokenCipher.fromBase64(config.tokenKey());
  const google = config.google();
  const baseUrl = config.baseUrl();

  // The watch service is built on first connect or disconnect: most requests never need it,
  // and its configuration (the Pub/Sub topic) is only checked then.
  let watch: ReturnType<typeof createWatchService> | undefined;
  const watchService = () => {
    if (!watch) {
      const services = createSyncServices({ dynamo, tableName, cipher, google, log });
      watch = createWatchService({
        accounts: services.accounts,
        directory: services.directory,
        googleFor: services.googleFor,
        queue: createSqsQueue({ queueUrl: config.queueUrl() }),
        topicName: config.pubsubTopic(),
        calendarAddress: `${baseUrl}/push/calendar`,
        log,
      });
    }
    return watch;
  };

  return {
    accounts: new AccountStore({ client: dynamo, tableName, cipher }),
    ledger: (accountId) => new DynamoLedger({ client: dynamo, tableName, accountId }),
    oauth: createOAuth(google),
    connection: {
      async connect(accountId) {
        await watchService().connect(accountId);
      },
      async disconnect(accountId) {
        await watchService().disconnect(accountId);
      },
    },
    stores: createWebStores({ client: dynamo, tableName }),
    now: () => new Date(),
    config: {
      baseUrl,
      allowList: process.env.DECORUM_ALLOWED ?? "",
      sessionKey: Valued.parse(link("SessionKey")).value,
      secureCookies: true,
    },
    clientIp: lambdaClientIp,
    log,
  };
}

type LambdaHandler = ReturnType<typeof handle>;
let app: Promise<LambdaHandler> | undefined;

export const handler = async (event: LambdaEvent, context?: LambdaContext) => {
  app ??= Promise.all([productionWebDeps(), import("../http/app.tsx")])
    .then(([deps, { createApp }]) => handle(createApp(deps)))
    .catch((error: unknown) => {
      app = undefined;
      throw error;
    });
  return (await app)(event, context);
};
