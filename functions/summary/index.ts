export {
  type AccountGateway,
  type AccountOutcome,
  type DraftListing,
  healthOf,
  type MarkerPort,
  runSummaryJob,
  type SendResult,
  type SummaryAccount,
  type SummaryJobDeps,
  type SummaryJobOptions,
  type SummaryJobResult,
  summarizeAccount,
} from "./job.ts";
export {
  classifySendFailure,
  createSummaryDeps,
  gatewayOf,
  type SummaryWiring,
  toSummaryAccount,
} from "./wiring.ts";
