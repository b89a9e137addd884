/// <reference path="./.sst/platform/config.d.ts" />

/**
 * Decorum on AWS: app and stage policy only. The resources live in infra/, one file per concern,
 * loaded in order by run() (SST's monorepo convention). Runtime code never imports infra/.
 */
export default $config({
  app(input) {
    const production = input?.stage === "production";
    return {
      name: "decorum",
      home: "aws",
      // A production stage keeps its table (and the owners' ledgers) when the app is removed.
      removal: production ? "retain" : "remove",
      protect: production,
    };
  },
  async run() {
    const { table } = await import("./infra/storage");
    await import("./infra/secrets");
    const { jobs } = await import("./infra/queue");
    const { api, baseUrl } = await import("./infra/api");
    await import("./infra/crons");
    return {
      url: baseUrl,
      apiUrl: api.url,
      table: table.name,
      jobs: jobs.url,
    };
  },
});
