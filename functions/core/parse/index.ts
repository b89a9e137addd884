export { parseIcs } from "./calendar.ts";
export { parseEmail } from "./email.ts";
export {
  isParseFailure,
  type ParseFailure,
  parseRaw,
  parseRun,
  type RawMessage,
  type ReadCounter,
  type ReadOptions,
  type ReadProgress,
  rawRuns,
  readMessages,
  readRawMessages,
} from "./files.ts";
export { MAX_MESSAGE_BYTES, type SplitOptions, splitMbox } from "./mbox.ts";
