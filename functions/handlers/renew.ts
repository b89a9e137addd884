import { productionSyncServices } from "../sync/production.ts";
import type { RenewReport, WatchService } from "../sync/watch.ts";

/**
 * The daily renew cron: the Gmail watch of every connected account is renewed (Google's lasts 7
 * days; renewing daily leaves six days of slack) and Calendar channels expiring within two days
 * are replaced by new ones.
 */
export async function productionWatchService(): Promise<WatchService> {
  const [{ config, services, log }, { createWatchService }] = await Promise.all([
    productionSyncServices(),
    import("../sync/watch.ts"),
  ]);
  return createWatchService({
    accounts: services.accounts,
    directory: services.directory,
    googleFor: services.googleFor,
    topicName: config.pubsubTopic(),
    calendarAddress: `${config.baseUrl()}/push/calendar`,
    log,
  });
}

export const handler = async (): Promise<RenewReport> => {
  const report = await (await productionWatchService()).renewAll();
  console.log(JSON.stringify({ event: "watch.renewed", ...report }));
  return report;
};
