import * as z from "zod";
import { parseJob } from "../schemas/jobs.ts";
import { productionSyncServices } from "../sync/production.ts";
import { runJob, type SyncDeps } from "../sync/worker.ts";

/**
 * The SQS consumer (subscribed with `batch: { partialResponses: true }`): each record is one
 * job; records of different accounts run side by side (the lease keeps one account's syncs
 * apart). A failed record is reported in batchItemFailures and received again after the
 * visibility timeout, then dead-lettered after the queue's maxReceiveCount. The queue's
 * visibility timeout must exceed this function's timeout, and the lease (5 minutes) both.
 */

const SqsEvent = z.object({
  Records: z.array(z.object({ messageId: z.string(), body: z.string() })),
});

export interface BatchResponse {
  batchItemFailures: Array<{ itemIdentifier: string }>;
}

export type Log = (event: Record<string, unknown>) => void;

export function createWorkerHandler(makeDeps: () => Promise<SyncDeps>, log: Log) {
  let deps: Promise<SyncDeps> | undefined;
  return async (event: unknown): Promise<BatchResponse> => {
    const parsed = SqsEvent.safeParse(event);
    if (!parsed.success)
      throw new Error("The worker was invoked with something other than SQS records");
    deps ??= makeDeps().catch((error: unknown) => {
      deps = undefined;
      throw error;
    });
    const ready = await deps;
    const failures: Array<{ itemIdentifier: string }> = [];
    await Promise.all(
      parsed.data.Records.map(async (record) => {
        try {
          const job = parseJob(record.body);
          const outcome = await runJob(job, ready);
          log({ event: "job.done", messageId: record.messageId, job, outcome });
        } catch (error) {
          // An unreadable job fails too, so it ends in the dead-letter queue to be looked at.
          log({
            event: "job.failed",
            messageId: record.messageId,
            error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
          });
          failures.push({ itemIdentifier: record.messageId });
        }
      }),
    );
    return { batchItemFailures: failures };
  };
}

export async function productionSyncDeps(): Promise<SyncDeps> {
  return (await productionSyncServices()).services.deps;
}

let production: ReturnType<typeof createWorkerHandler> | undefined;

export const handler = async (event: unknown): Promise<BatchResponse> => {
  production ??= createWorkerHandler(productionSyncDeps, (event) =>
    console.log(JSON.stringify(event)),
  );
  return production(event);
};
