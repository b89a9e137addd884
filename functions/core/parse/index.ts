export { parseIcs } from "./calendar.ts";
export { parseEmail } from "./email.ts";
export {
  isParseFailure,
  type ParseFailure,
  type ReadOptions,
  type ReadProgress,
  readMessages,
} from "./files.ts";
export { splitMbox } from "./mbox.ts";
