/**
 * The one stylesheet, served at /assets/app.css so the Content-Security-Policy can say
 * `style-src 'self'` with no inline styles. Colours meet WCAG AA contrast on their backgrounds
 * (ink #1f2937 on white 14.7:1, muted #4b5563 7.6:1, accent #1f3a5f 11:1, error #b42318 6.3:1).
 */
export const APP_CSS = `
:root { color-scheme: light; --ink: #1f2937; --muted: #4b5563; --accent: #1f3a5f; --accent-ink: #ffffff;
  --line: #d1d5db; --soft: #f3f4f6; --error: #b42318; --error-bg: #fef3f2; --ok: #05603a; --ok-bg: #ecfdf3;
  --warn-bg: #fffaeb; --warn: #7a2e0e; --focus: #c2410c; }
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 16px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  color: var(--ink); background: #fff; }
a { color: var(--accent); text-underline-offset: 2px; }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -9999px; top: 0; background: var(--accent); color: var(--accent-ink); padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: .5rem; top: .5rem; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
header.site { background: var(--accent); color: var(--accent-ink); }
header.site .bar { max-width: 64rem; margin: 0 auto; padding: .5rem 1rem; display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; }
header.site .brand { font-weight: 700; letter-spacing: .05em; color: var(--accent-ink); text-decoration: none; margin-right: auto; }
header.site nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem; }
header.site nav a { color: var(--accent-ink); text-decoration: none; padding: .375rem .5rem; border-radius: 4px; display: inline-block; }
header.site nav a[aria-current="page"] { background: rgba(255,255,255,.18); text-decoration: underline; }
header.site form { margin: 0; }
header.site .signout { background: transparent; color: var(--accent-ink); border: 1px solid rgba(255,255,255,.7); padding: .3rem .6rem; }
main { max-width: 64rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: .5rem 0 1rem; }
h2 { font-size: 1.25rem; margin: 1.5rem 0 .5rem; }
h3 { font-size: 1.05rem; margin: 1rem 0 .25rem; }
p.lead { color: var(--muted); margin-top: -.5rem; }
.hint { color: var(--muted); font-size: .9rem; margin: .125rem 0 .375rem; }
.notice { border-left: 4px solid var(--accent); background: var(--soft); padding: .75rem 1rem; margin: 0 0 1rem; }
.notice.ok { border-color: var(--ok); background: var(--ok-bg); }
.notice.warn { border-color: var(--warn); background: var(--warn-bg); }
.notice.error { border-color: var(--error); background: var(--error-bg); }
.error-summary { border: 3px solid var(--error); padding: .75rem 1rem; margin-bottom: 1rem; }
.error-summary h2 { margin-top: 0; color: var(--error); }
.error { color: var(--error); font-weight: 600; margin: .25rem 0; }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 1.25rem; padding: .75rem 1rem 1rem; min-width: 0; }
legend { font-weight: 700; font-size: 1.1rem; padding: 0 .25rem; }
.field { margin: .75rem 0 1rem; }
.field.invalid input, .field.invalid textarea, .field.invalid select { border-color: var(--error); border-width: 2px; }
label { display: block; font-weight: 600; }
.check label { display: inline; font-weight: 400; }
.check { display: flex; gap: .5rem; align-items: flex-start; margin: .5rem 0; }
.check input { margin-top: .3rem; width: 1.1rem; height: 1.1rem; flex: none; }
input[type=text], input[type=email], input[type=search], select, textarea {
  font: inherit; color: inherit; width: 100%; max-width: 36rem; padding: .5rem; border: 1px solid #6b7280; border-radius: 4px; background: #fff; }
input.number { max-width: 8rem; }
figure { margin: 0; }
textarea { min-height: 5rem; resize: vertical; }
textarea.tall { min-height: 9rem; }
input[type=file] { font: inherit; }
button, .button { font: inherit; display: inline-block; border: 2px solid var(--accent); background: var(--accent); color: var(--accent-ink);
  padding: .5rem 1rem; border-radius: 4px; cursor: pointer; text-decoration: none; min-height: 44px; }
button.secondary, .button.secondary { background: #fff; color: var(--accent); }
button.danger { background: var(--error); border-color: var(--error); }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; margin: 1rem 0; }
.filters { display: flex; flex-wrap: wrap; gap: .75rem; align-items: flex-end; background: var(--soft); padding: .75rem; border-radius: 6px; margin-bottom: 1rem; }
.filters .field { margin: 0; }
.filters input, .filters select { min-width: 12rem; }
ol.items, ul.plain { list-style: none; margin: 0; padding: 0; }
ol.items > li { border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; margin-bottom: .75rem; }
.item-head { display: flex; flex-wrap: wrap; gap: .25rem .75rem; align-items: baseline; }
.item-head h2, .item-head h3 { margin: 0; font-size: 1.05rem; overflow-wrap: anywhere; }
.meta { color: var(--muted); font-size: .9rem; overflow-wrap: anywhere; }
.tag { display: inline-block; border: 1px solid var(--line); border-radius: 999px; padding: 0 .5rem; font-size: .85rem; background: var(--soft); }
.tag.decline, .tag.decline_firmly { border-color: var(--error); color: var(--error); background: var(--error-bg); }
.tag.accept { border-color: var(--ok); color: var(--ok); background: var(--ok-bg); }
.tag.review { border-color: var(--warn); color: var(--warn); background: var(--warn-bg); }
ul.reasons { margin: .5rem 0; padding-left: 1.25rem; }
.links { display: flex; flex-wrap: wrap; gap: .25rem 1rem; font-size: .95rem; margin-bottom: 0; }
pre.letter { white-space: pre-wrap; overflow-wrap: anywhere; font: inherit; background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; margin: .5rem 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
details { margin: .5rem 0; }
summary { cursor: pointer; font-weight: 600; padding: .25rem 0; }
.switches .check { margin: .35rem 0; }
.switches code { font-size: .85rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .375rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
.chart { width: 100%; max-width: 40rem; height: auto; display: block; margin: .5rem 0 1rem; }
.chart .bar { fill: #3b6ea5; }
.chart .axis { stroke: #6b7280; }
.chart text { fill: var(--ink); font-size: 11px; }
iframe.summary { width: 100%; min-height: 70vh; border: 1px solid var(--line); border-radius: 6px; }
.tabs { display: flex; flex-wrap: wrap; gap: .5rem; list-style: none; padding: 0; margin: 0 0 1rem; }
.tabs a { display: inline-block; padding: .375rem .75rem; border: 1px solid var(--line); border-radius: 999px; text-decoration: none; }
.tabs a[aria-current="page"] { background: var(--accent); color: var(--accent-ink); border-color: var(--accent); }
.signin { max-width: 30rem; margin: 3rem auto; text-align: center; }
.signin .button { font-size: 1.1rem; }
@media (max-width: 40rem) {
  h1 { font-size: 1.35rem; }
  main { padding: .75rem; }
  header.site .bar { padding: .5rem .75rem; }
  .filters input, .filters select { min-width: 0; }
}
`;
