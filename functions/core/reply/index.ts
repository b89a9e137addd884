export {
  composeLetter,
  composeReply,
  type Letter,
  phrasingsFor,
  ReplyError,
  type ReplyInput,
  replyKindFor,
} from "./compose.ts";
export { type EventWords, eventWords } from "./event.ts";
export { firstNameOf } from "./names.ts";
export { builtInPhrasings, closings, greetings, type PhrasingTable } from "./phrasings.ts";
export {
  type PhrasingReview,
  type PreviewInput,
  renderPreview,
  reviewPhrasing,
  sampleInvitation,
} from "./preview.ts";
export { replyRecipient, replySender } from "./recipient.ts";
export { replySubject, stripReplyPrefixes } from "./subject.ts";
export {
  fillTemplate,
  PLACEHOLDERS,
  type Placeholder,
  partnerWordIn,
  unknownPlaceholders,
} from "./template.ts";
