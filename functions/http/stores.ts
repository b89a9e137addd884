import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoAccountExporter } from "./export.ts";
import { DynamoOAuthStateStore } from "./oauth-state.ts";
import { DynamoRateLimiter } from "./rate-limit.ts";
import { DynamoSessionStore } from "./session.ts";
import type { WebStores } from "./types.ts";

/** The web app's stores on Decorum's one table (for the Lambda handler and the local server). */
export function createWebStores(options: {
  client: DynamoDBClient;
  tableName: string;
  now?: () => Date;
}): WebStores {
  return {
    sessions: new DynamoSessionStore(options),
    oauthStates: new DynamoOAuthStateStore(options),
    limiter: new DynamoRateLimiter(options),
    exporter: new DynamoAccountExporter(options),
  };
}
