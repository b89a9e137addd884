import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { Job } from "../../schemas/jobs.ts";
import { type JobQueue, QueueError } from "./port.ts";

export interface SqsQueueOptions {
  /** Resource.Jobs.url */
  queueUrl: string;
  /** Injected for tests and for sharing one client per Lambda container. */
  client?: SQSClient;
}

/**
 * The deployed queue: a standard SQS queue with a dead-letter queue (see functions/sync/lease.ts
 * for why not FIFO). Jobs are validated before they leave, so the worker never has to guess.
 */
export function createSqsQueue(options: SqsQueueOptions): JobQueue {
  let client = options.client;
  return {
    async enqueue(job) {
      const body = JSON.stringify(Job.parse(job));
      client ??= new SQSClient({ maxAttempts: 3 });
      try {
        await client.send(
          new SendMessageCommand({ QueueUrl: options.queueUrl, MessageBody: body }),
        );
      } catch (error) {
        const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        throw new QueueError(`SQS SendMessage failed: ${detail}`, { cause: error });
      }
    },
  };
}
