export {
  type Account,
  AccountStore,
  type AccountStoreOptions,
  type ConnectionUpdate,
} from "./accounts.ts";
export {
  countRequests,
  createDynamoClient,
  type DynamoClientOptions,
  documentClient,
  type RequestCounter,
} from "./client.ts";
export { generateTokenKey, TokenCipher } from "./crypto.ts";
export {
  isConditionalCheckFailed,
  StoreError,
  type StoreErrorKind,
  translateError,
} from "./errors.ts";
export type { CalendarChannel, Connection } from "./items.ts";
export { DynamoLedger, type DynamoLedgerOptions, type ListInvitationsOptions } from "./ledger.ts";
export type { Page } from "./paging.ts";
export {
  createTableInput,
  ensureTable,
  INDEX,
  keys,
  TABLE,
  type TableDefinition,
  TTL_ATTRIBUTE,
} from "./table.ts";
