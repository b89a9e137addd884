export {
  type DeadLetter,
  InProcessQueue,
  type InProcessQueueOptions,
  type QueueStats,
} from "./in-process.ts";
export { type JobQueue, QueueError } from "./port.ts";
export { createSqsQueue, type SqsQueueOptions } from "./sqs.ts";
