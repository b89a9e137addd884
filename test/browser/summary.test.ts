import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { renderSummary } from "../../functions/core/summary/index.ts";
import { buildSummaryModel } from "../../functions/core/summary/model.ts";
import { fullWeek, HOSTILE, input, record } from "../core/summary/seed.ts";

/**
 * The HTML part as a mail client's rendering engine sees it: Debian's Chromium, headless, with
 * a fresh profile and no network of its own. Checks layout at the 600px the email is built for
 * and at a phone's width, that nothing is fetched, and keeps a screenshot for people to look at.
 */

const OUTPUT = fileURLToPath(new URL("../../test-output/", import.meta.url));
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

let profile: string;
let context: BrowserContext;
const requests: string[] = [];
const dialogs: string[] = [];

beforeAll(async () => {
  profile = await mkdtemp(join(tmpdir(), "decorum-chromium-"));
  // A persistent context is how Playwright takes a --user-data-dir of our choosing.
  context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ARGS,
    viewport: { width: 600, height: 900 },
  });
  await context.route("**/*", async (route) => {
    requests.push(route.request().url());
    await route.abort();
  });
});

afterAll(async () => {
  await context?.close();
  await rm(profile, { recursive: true, force: true });
});

async function open(html: string, width = 600): Promise<Page> {
  const page = await context.newPage();
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await page.setViewportSize({ width, height: 900 });
  await page.setContent(html, { waitUntil: "load" });
  return page;
}

/*
 * Code that runs in the page is passed as source text: this project type-checks for Node, not
 * the DOM, and what comes back is validated like any outside data.
 */

const Overflow = z.object({
  width: z.number(),
  scrollWidth: z.number(),
  over: z.array(z.object({ tag: z.string(), right: z.number(), text: z.string() })),
});

/** Elements whose right edge passes the viewport, and the page's scroll width. */
async function overflow(page: Page) {
  return Overflow.parse(
    await page.evaluate(`(() => {
      const width = document.documentElement.clientWidth;
      const over = [...document.querySelectorAll("body *")]
        .map((el) => ({ tag: el.tagName, right: el.getBoundingClientRect().right, text: (el.textContent || "").slice(0, 40) }))
        .filter((box) => box.right > width + 0.5);
      return { width, scrollWidth: document.documentElement.scrollWidth, over };
    })()`),
  );
}

const Bars = z.array(z.object({ count: z.number(), width: z.number(), color: z.string() }));

const Found = z.object({
  scripts: z.number(),
  images: z.number(),
  handlers: z.array(z.string()),
  links: z.array(z.string().nullable()),
  classes: z.number(),
  text: z.string(),
});

describe("the summary's HTML part in Chromium", () => {
  const { records, gmailDraftIds } = fullWeek();
  const html = renderSummary(buildSummaryModel(input(records, { gmailDraftIds }))).html;

  it("fits a 600px viewport and saves a screenshot", async () => {
    const page = await open(html);
    const result = await overflow(page);
    expect(result.over).toEqual([]);
    expect(result.scrollWidth).toBeLessThanOrEqual(600);
    await mkdir(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, "summary.png"), fullPage: true });
    await page.close();
  });

  it("fits a phone's 375px viewport too", async () => {
    const page = await open(html, 375);
    const result = await overflow(page);
    expect(result.over).toEqual([]);
    await page.screenshot({ path: join(OUTPUT, "summary-375.png"), fullPage: true });
    await page.close();
  });

  it("draws chart bars whose widths are proportional to the counts", async () => {
    const page = await open(html);
    const bars = Bars.parse(
      await page.evaluate(`[...document.querySelectorAll("td[data-chart-count]")].map((cell) => ({
        count: Number(cell.getAttribute("data-chart-count")),
        width: cell.getBoundingClientRect().width,
        color: getComputedStyle(cell).backgroundColor,
      }))`),
    );
    expect(bars).toHaveLength(11);
    const longest = bars.reduce((a, b) => (b.count > a.count ? b : a));
    expect(longest.width).toBeGreaterThan(200);
    for (const bar of bars) {
      // Percent widths are rounded to whole percents: allow one percent of the longest bar.
      expect(Math.abs(bar.width - (longest.width * bar.count) / longest.count)).toBeLessThanOrEqual(
        longest.width / 100 + 1,
      );
    }
    // This week's bar stands out.
    expect(new Set(bars.map((bar) => bar.color)).size).toBe(2);
    await page.close();
  });

  it("makes no request of any kind", async () => {
    const page = await open(html);
    await page.waitForTimeout(200);
    expect(requests).toEqual([]);
    await page.close();
  });
});

describe("sender-controlled text in Chromium", () => {
  const hostile = [
    record({
      from: { address: "a@x.example", name: HOSTILE.scriptName },
      subject: HOSTILE.attributeSubject,
      action: "review",
    }),
    record({
      from: { address: "b@x.example", name: HOSTILE.encodedWordName },
      subject: HOSTILE.encodedWordSubject,
      category: "objectionable",
      action: "decline_firmly",
    }),
    record({ client: HOSTILE.longClient, subject: `${"y".repeat(300)}`, action: "review" }),
    record({
      category: "family_function",
      event: {
        start: "2025-04-05T12:00:00.000Z",
        summary: HOSTILE.javascriptEvent,
        location: HOSTILE.entities,
      },
    }),
  ];
  const html = renderSummary(buildSummaryModel(input(hostile))).html;

  it("shows it as text: no script runs, no element or link is created", async () => {
    const page = await open(html);
    const found = Found.parse(
      await page.evaluate(`({
        scripts: document.querySelectorAll("script").length,
        images: document.querySelectorAll("img").length,
        handlers: [...document.querySelectorAll("*")].flatMap((el) =>
          [...el.attributes].filter((a) => a.name.startsWith("on")).map((a) => a.name),
        ),
        links: [...document.querySelectorAll("a")].map((a) => a.getAttribute("href")),
        classes: document.querySelectorAll("[class]").length,
        text: document.body.innerText,
      })`),
    );
    expect(found.scripts).toBe(0);
    expect(found.images).toBe(0);
    expect(found.handlers).toEqual([]);
    expect(found.classes).toBe(0);
    for (const href of found.links) expect(href).toMatch(/^https:\/\/decorum\.example\/settings/);
    expect(found.text).toContain(HOSTILE.scriptName);
    expect(found.text).toContain(HOSTILE.attributeSubject);
    expect(found.text).toContain(HOSTILE.encodedWordName);
    expect(found.text).toContain(HOSTILE.javascriptEvent);
    expect(found.text).toContain(HOSTILE.entities);
    expect(dialogs).toEqual([]);
    await page.close();
  });

  it("wraps unbroken long names and subjects instead of overflowing", async () => {
    const page = await open(html);
    expect((await overflow(page)).over).toEqual([]);
    await page.close();
  });
});
