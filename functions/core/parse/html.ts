import { compile } from "html-to-text";

/** Larger HTML bodies are cut before conversion: html-to-text's cost grows with the input. */
export const MAX_HTML_CHARS = 1_000_000;

// Compiled once: html-to-text builds its selector decision tree per `compile` call.
const convert = compile({
  wordwrap: false,
  selectors: [
    { selector: "img", format: "skip" },
    { selector: "a", options: { hideLinkHrefIfSameAsText: true } },
    ...["h1", "h2", "h3", "h4", "h5", "h6"].map((selector) => ({
      selector,
      options: { uppercase: false },
    })),
    // Layout tables are the norm in HTML mail: one line per cell reads better than a grid.
    ...["table", "tr", "td", "th"].map((selector) => ({
      selector,
      format: "block",
      options: { leadingLineBreaks: 1, trailingLineBreaks: 1 },
    })),
  ],
});

/** Readable text of an HTML body; blockquotes become "> " lines so quoting can be found. */
export function htmlToText(html: string): string {
  return convert(html.length > MAX_HTML_CHARS ? html.slice(0, MAX_HTML_CHARS) : html);
}
