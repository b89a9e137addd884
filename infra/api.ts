import { domain, runtime, setting } from "./config";
import { jobs } from "./queue";
import { googleClientId, googleClientSecret, sessionKey, tokenKey } from "./secrets";
import { table } from "./storage";

/**
 * One HTTP API: the settings page behind `$default`, and the two push endpoints Google calls.
 * The push routes get their own small function so a burst of notifications never waits behind
 * page renders, and so it loads neither the Gmail nor the Calendar client.
 */
export const api = new sst.aws.ApiGatewayV2("Api", domain ? { domain } : {});

/**
 * The public origin: OAuth redirect URIs, Pub/Sub's push audience and Calendar channel addresses
 * are built from it, so behind a custom domain it must be that domain, not the Lambda's host.
 */
export const baseUrl = domain ? `https://${domain}` : api.url;

export const web = new sst.aws.Function("Web", {
  handler: "functions/handlers/web.handler",
  ...runtime,
  memory: "1024 MB",
  // API Gateway abandons a request after 30 s.
  timeout: "29 seconds",
  link: [table, jobs, googleClientId, googleClientSecret, sessionKey, tokenKey],
  environment: {
    DECORUM_BASE_URL: baseUrl,
    DECORUM_ALLOWED: setting("DECORUM_ALLOWED"),
    // Connecting an account starts its Gmail watch on this topic.
    DECORUM_PUBSUB_TOPIC: setting("DECORUM_PUBSUB_TOPIC"),
  },
});

export const push = new sst.aws.Function("Push", {
  handler: "functions/handlers/push.handler",
  ...runtime,
  memory: "512 MB",
  // Pub/Sub redelivers after its 10 s acknowledgement deadline: verify, enqueue, answer well inside.
  timeout: "10 seconds",
  link: [table, jobs],
  environment: {
    DECORUM_BASE_URL: baseUrl,
    DECORUM_PUSH_SA: setting("DECORUM_PUSH_SA"),
  },
});

api.route("$default", web.arn);
api.route("POST /push/gmail", push.arn);
api.route("POST /push/calendar", push.arn);

/** The summary links back to the settings page; the summary handler reads this link. */
export const settingsUrl = new sst.Linkable("SettingsUrl", {
  properties: { url: baseUrl },
});
