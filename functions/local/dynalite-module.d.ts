// dynalite ships no types; this covers the one call functions/local/dynalite.ts makes.
declare module "dynalite" {
  import type { Server } from "node:http";

  interface DynaliteOptions {
    /** A LevelDB directory; in memory when absent. */
    path?: string;
    /** How long a new table stays CREATING (default 500 ms). */
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
    verbose?: boolean;
    debug?: boolean;
  }

  function dynalite(options?: DynaliteOptions): Server;
  export = dynalite;
}
