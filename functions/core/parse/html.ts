import { compile } from "html-to-text";

/** Longer HTML (after trimming) is cut: conversion cost grows with it, triage needs the start. */
export const MAX_HTML_CHARS = 200_000;

// Compiled once, on first use: html-to-text builds its selector decision tree per `compile` call,
// a good part of a handler's start-up, and most mail has a text part and never needs it.
let converter: ((html: string) => string) | undefined;
const compileConverter = () =>
  compile({
    wordwrap: false,
    selectors: [
      { selector: "img", format: "skip" },
      // Attributes are stripped before conversion, so links keep their text only.
      { selector: "a", options: { ignoreHref: true } },
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

/** Removes every `open`…`close` span (case-insensitive), scanning once with indexOf. */
function dropSpans(html: string, lower: string, open: string, close: string): [string, string] {
  let at = lower.indexOf(open);
  if (at === -1) return [html, lower];
  const kept: string[] = [];
  const keptLower: string[] = [];
  let from = 0;
  while (at !== -1) {
    kept.push(html.slice(from, at));
    keptLower.push(lower.slice(from, at));
    const end = lower.indexOf(close, at + open.length);
    from = end === -1 ? html.length : end + close.length;
    at = end === -1 ? -1 : lower.indexOf(open, from);
  }
  kept.push(html.slice(from));
  keptLower.push(lower.slice(from));
  return [kept.join(""), keptLower.join("")];
}

// A start tag's attributes: `[^>]*` cannot backtrack past the `>` it stops at, so this is linear.
const ATTRIBUTES = /<([a-zA-Z][a-zA-Z0-9]*)[^>]*>/g;

/**
 * What html-to-text needs to see. Newsletters spend most of their bytes on comments (Outlook's
 * conditional blocks), <head>, <style> and attributes, none of which reach the text; dropping them
 * first roughly halves the conversion time of a typical marketing mail.
 */
function trimmed(html: string): string {
  // ASCII-only lower-casing keeps indexes aligned ("İ".toLowerCase() is two code units).
  let pair: [string, string] = [html, html.replace(/[A-Z]+/g, (s) => s.toLowerCase())];
  for (const [open, close] of [
    ["<!--", "-->"],
    ["<head", "</head>"],
    ["<style", "</style>"],
    ["<script", "</script>"],
  ] as const) {
    pair = dropSpans(pair[0], pair[1], open, close);
  }
  const bare = pair[0].replace(ATTRIBUTES, "<$1>");
  return bare.length > MAX_HTML_CHARS ? bare.slice(0, MAX_HTML_CHARS) : bare;
}

// Below this size trimming costs more than it saves; html-to-text already skips comments, style
// and script, and only a <head> (whose <title> leaks when there is no <body>) needs removing.
const SMALL_HTML = 8_192;
const HEAD = /<head[\s>]/i;

/** Readable text of an HTML body; blockquotes become "> " lines so quoting can be found. */
export function htmlToText(html: string): string {
  converter ??= compileConverter();
  return converter(html.length <= SMALL_HTML && !HEAD.test(html) ? html : trimmed(html));
}
