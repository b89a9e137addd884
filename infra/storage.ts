import { TABLE } from "../functions/adapters/dynamo/table.ts";

/**
 * Decorum's one table. Its keys, indexes and TTL attribute come from the definition the stores,
 * the local server and the tests create the table from, so AWS and dynalite cannot drift apart.
 * SST bills it per request and turns point-in-time recovery on.
 */
export const table = new sst.aws.Dynamo("Table", TABLE);
