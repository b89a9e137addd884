import { handle, type LambdaContext, type LambdaEvent } from "hono/aws-lambda";
import { createPushRoutes, type PushDeps } from "../http/push.ts";

/**
 * POST /push/gmail and POST /push/calendar: verify, enqueue, 204. Built on the first request
 * from SST links (Table, Jobs) and the environment (DECORUM_BASE_URL, DECORUM_PUSH_SA); it loads
 * neither Google API client.
 */
export async function productionPushDeps(): Promise<PushDeps> {
  const [
    { Resource },
    { syncConfig },
    { createDynamoClient },
    { createSqsQueue },
    { PushDirectory },
  ] = await Promise.all([
    import("sst"),
    import("../sync/config.ts"),
    import("../adapters/dynamo/client.ts"),
    import("../adapters/queue/sqs.ts"),
    import("../sync/push-directory.ts"),
  ]);
  const config = syncConfig((name) => Reflect.get(Resource, name), process.env);
  return {
    queue: createSqsQueue({ queueUrl: config.queueUrl() }),
    directory: new PushDirectory({ client: createDynamoClient(), tableName: config.tableName() }),
    gmail: {
      audience: `${config.baseUrl()}/push/gmail`,
      serviceAccountEmail: config.pushServiceAccount(),
    },
    log: (event) => console.log(JSON.stringify(event)),
  };
}

type LambdaHandler = ReturnType<typeof handle>;
let app: Promise<LambdaHandler> | undefined;

export const handler = async (event: LambdaEvent, context?: LambdaContext) => {
  app ??= productionPushDeps()
    .then((deps) => handle(createPushRoutes(deps)))
    .catch((error: unknown) => {
      app = undefined;
      throw error;
    });
  return (await app)(event, context);
};
