/** A plain-text body split into what the sender wrote and the history it carries. */
export interface QuoteSplit {
  /** The sender's own words: quoted lines, quoted history and the signature removed. */
  newText: string;
  /** Quoted lines and everything from the first history marker on. */
  quotedText: string;
  /** A forward marker ("---------- Forwarded message ---------", "Begin forwarded message:"). */
  forwardMarker: boolean;
}

// Gmail, Thunderbird and Apple Mail forward markers, in the four languages Decorum reads.
const FORWARD_MARKER = new RegExp(
  [
    "^-{2,}\\s*(?:forwarded message|mensaje reenviado|message transf[eé]r[eé]|weitergeleitete nachricht)\\s*-{2,}$",
    "^(?:begin forwarded message|inicio del mensaje reenviado|comienzo del mensaje reenviado|" +
      "d[eé]but du message r[eé]exp[eé]di[eé]|d[eé]but du message transf[eé]r[eé]|" +
      "anfang der weitergeleiteten nachricht)\\s*:$",
  ].join("|"),
  "i",
);

// Outlook's reply separator, localised.
const ORIGINAL_MARKER =
  /^-{2,}\s*(?:original message|mensaje original|message d'origine|message original|urspr[üu]ngliche nachricht|original-nachricht)\s*-{2,}$/i;
const UNDERSCORES = /^_{10,}$/;
// Outlook's header block: "From: …" then "Sent: …" (De/Enviado, De/Envoyé, Von/Gesendet). Gmail's
// plain-text rendering of bold adds the asterisks; French Outlook puts a space before the colon.
const HEADER_FROM = /^\*?(?:from|de|von|van|da)\s?:\*?\s*\S/i;
const HEADER_SENT =
  /^\*?(?:sent|date|envoy[eé]|enviado|gesendet|datum|fecha|data|inviato)(?: el| le)?\s?:/i;

const ATTRIBUTION_START = /^(?:on|el|le|am|op|il)\s/i;
const ATTRIBUTION_VERB =
  /(?:^|\s)(?:wrote|writes|escribió|escribio|ha escrito|a écrit|a ecrit|schrieb|hat geschrieben|geschrieben)(?=[\s:]|$)/i;
const ATTRIBUTION_CHARS = /[\d@]/;
const MAX_ATTRIBUTION = 500;

/** "On … wrote:", "El … escribió:", "Le … a écrit :", "Am … schrieb …:", "Ana <a@x> wrote:". */
function isAttribution(line: string): boolean {
  return (
    line.length <= MAX_ATTRIBUTION &&
    line.endsWith(":") &&
    ATTRIBUTION_VERB.test(line) &&
    (ATTRIBUTION_START.test(line) || ATTRIBUTION_CHARS.test(line))
  );
}

/** How many lines the attribution starting at `i` spans (clients wrap long ones), or 0. */
function attributionLength(lines: readonly string[], i: number): number {
  const first = (lines[i] ?? "").trim();
  if (isAttribution(first)) return 1;
  if (!ATTRIBUTION_START.test(first) || first.length > MAX_ATTRIBUTION) return 0;
  let joined = first;
  for (let k = 1; k <= 2; k++) {
    const next = (lines[i + k] ?? "").trim();
    if (next === "") return 0;
    joined = `${joined} ${next}`;
    if (isAttribution(joined)) return k + 1;
  }
  return 0;
}

/** The next non-blank line within `reach` lines after `i`. */
function nextLine(lines: readonly string[], i: number, reach: number): string {
  for (let k = i + 1; k < lines.length && k <= i + reach; k++) {
    const t = (lines[k] ?? "").trim();
    if (t !== "") return t;
  }
  return "";
}

function sentFollows(lines: readonly string[], i: number): boolean {
  for (let k = i + 1; k < lines.length && k <= i + 4; k++) {
    if (HEADER_SENT.test((lines[k] ?? "").trim())) return true;
  }
  return false;
}

const DASH = 0x2d;
const GT = 0x3e;
const UNDERSCORE = 0x5f;
const COLON = 0x3a;
// First letters of the header block's "From" line: from, de, von, van, da, and Gmail's "*".
const HEADER_INITIALS = new Set([..."FfDdVv*"].map((c) => c.charCodeAt(0)));

type History = { kind: "forward" } | { kind: "block" } | { kind: "attribution"; span: number };

/**
 * Whether history starts at line `i` (trimmed: `t`). Dispatches on the first and last character
 * so that the common line, prose, costs two comparisons instead of a handful of regexes.
 */
function historyAt(lines: readonly string[], i: number, t: string): History | null {
  const first = t.charCodeAt(0);
  if (first === DASH) {
    if (FORWARD_MARKER.test(t)) return { kind: "forward" };
    return ORIGINAL_MARKER.test(t) ? { kind: "block" } : null;
  }
  if (first === UNDERSCORE) {
    return UNDERSCORES.test(t) && HEADER_FROM.test(nextLine(lines, i, 3))
      ? { kind: "block" }
      : null;
  }
  const endsWithColon = t.charCodeAt(t.length - 1) === COLON;
  if (endsWithColon && FORWARD_MARKER.test(t)) return { kind: "forward" };
  if (HEADER_INITIALS.has(first) && HEADER_FROM.test(t) && sentFollows(lines, i)) {
    return { kind: "block" };
  }
  if (endsWithColon || ATTRIBUTION_START.test(t)) {
    const span = attributionLength(lines, i);
    if (span > 0) return { kind: "attribution", span };
  }
  return null;
}

function isSignatureDelimiter(line: string): boolean {
  return line === "-- " || line === "--";
}

/**
 * Separates new text from quoted history. Top-posted replies end where the history starts (an
 * attribution line, an Outlook block, a forward marker); "> " lines anywhere are history, so
 * bottom-posted and inline replies keep only the sender's lines. The "-- " signature is dropped
 * from the new text. Works line by line with anchored patterns, so long bodies cost linear time.
 */
export function splitQuoted(text: string): QuoteSplit {
  const lines = text.split("\n");
  const fresh: string[] = [];
  const quoted: string[] = [];
  let restFrom = lines.length;
  let forwardMarker = false;
  let inSignature = false;
  // After an attribution: quoted lines follow; unquoted text after them is the sender's again.
  let afterAttribution = false;
  let sawQuote = false;

  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    const t = line.trim();
    if (afterAttribution) {
      if (t === "" || t.charCodeAt(0) === GT) {
        quoted.push(line);
        if (t !== "") sawQuote = true;
        i++;
        continue;
      }
      afterAttribution = false;
      if (!sawQuote) {
        // History that is not "> "-prefixed (Outlook, many HTML clients) runs to the end.
        restFrom = i;
        break;
      }
    }
    if (t !== "") {
      if (t.charCodeAt(0) === GT) {
        quoted.push(line);
        i++;
        continue;
      }
      const history = historyAt(lines, i, t);
      if (history?.kind === "forward") {
        forwardMarker = true;
        restFrom = i + 1;
        break;
      }
      if (history?.kind === "block") {
        restFrom = i;
        break;
      }
      if (history?.kind === "attribution") {
        for (let k = 0; k < history.span; k++) quoted.push(lines[i + k] ?? "");
        i += history.span;
        afterAttribution = true;
        sawQuote = false;
        continue;
      }
    }
    if (isSignatureDelimiter(line)) inSignature = true;
    if (!inSignature) fresh.push(line);
    i++;
  }

  const rest = restFrom < lines.length ? lines.slice(restFrom).join("\n") : "";
  const quotedText = quoted.length > 0 ? `${quoted.join("\n")}\n${rest}` : rest;
  return { newText: fresh.join("\n").trim(), quotedText: quotedText.trim(), forwardMarker };
}
