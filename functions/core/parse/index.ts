export { parseIcs } from "./calendar.ts";
export { parseEmail } from "./email.ts";
export {
  isParseFailure,
  type ParseFailure,
  type ReadOptions,
  type ReadProgress,
  readMessages,
} from "./files.ts";
export { MAX_MESSAGE_BYTES, type SplitOptions, splitMbox } from "./mbox.ts";
