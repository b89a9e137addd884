import type { AccountStore } from "../adapters/dynamo/accounts.ts";
import type { JobQueue } from "../adapters/queue/port.ts";
import type { Job } from "../schemas/jobs.ts";

/**
 * The safety net under the pushes (Calendar drops some, a Gmail watch can lapse): every connected,
 * unpaused account gets a Gmail and a Calendar sync job. A sync with nothing new costs one
 * history.list and one events.list.
 */
export async function enqueuePeriodicSyncs(
  accounts: Pick<AccountStore, "listAccounts">,
  queue: JobQueue,
): Promise<{ accounts: number; jobs: number }> {
  let cursor: string | undefined;
  let due = 0;
  let jobs = 0;
  do {
    const page = await accounts.listAccounts({ limit: 100, ...(cursor ? { cursor } : {}) });
    for (const account of page.items) {
      if (account.connection.state !== "connected" || !account.hasRefreshToken) continue;
      if (account.settings.paused) continue;
      due++;
      const list: Job[] = [
        { type: "gmail-sync", accountId: account.accountId, reason: "periodic" },
        { type: "calendar-sync", accountId: account.accountId, reason: "periodic" },
      ];
      for (const job of list) {
        await queue.enqueue(job);
        jobs++;
      }
    }
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return { accounts: due, jobs };
}
