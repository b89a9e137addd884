/**
 * Reply and forward prefixes in English, Spanish, French and German mail clients (and the bracketed
 * counters some add: "Re[2]:", "RE (3):"), including the French space before the colon and the
 * full-width colon.
 */
const PREFIX = /^\s*(?:re|aw|antw|fwd?|tr|rv|wg|enc|reenv)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*/iu;

/** The subject without any stack of reply/forward prefixes. */
export function stripReplyPrefixes(subject: string): string {
  let rest = subject.replace(/\s+/g, " ").trim();
  for (;;) {
    const next = rest.replace(PREFIX, "");
    if (next === rest) return rest;
    rest = next;
  }
}

/**
 * "Re: <original>" with prefixes never stacked, so the subject matches the thread's (Gmail only
 * threads a draft whose subject matches). `fallback` is used when the original has no subject.
 */
export function replySubject(original: string, fallback: string): string {
  const base = stripReplyPrefixes(original);
  return `Re: ${base === "" ? fallback : base}`;
}
