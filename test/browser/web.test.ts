import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type ServerType, serve } from "@hono/node-server";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExportFile, type Harness, OWNER, record, startHarness } from "../http/harness.ts";

/**
 * The settings app in headless Chromium: served by @hono/node-server on a random port over
 * http://localhost (a secure context, so the Secure __Host- cookies are kept: checked below),
 * with dynalite and the Google emulator's OAuth endpoints. Screenshots go to test-output/web/.
 */

/** Debian's chromium package; CHROMIUM_PATH points elsewhere. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOTS = fileURLToPath(new URL("../../test-output/web/", import.meta.url));
const POKER = fileURLToPath(new URL("../fixtures/http/poker-night.eml", import.meta.url));
const XSS_SUBJECT = `<script>alert("xss")</script> Drinks & "cigars"`;

let server: ServerType;
let h: Harness;
let base: string;
let context: BrowserContext;
let page: Page;
let profile: string;
const problems: string[] = [];

async function listen(fetch: (request: Request) => Response | Promise<Response>) {
  return new Promise<{ server: ServerType; port: number }>((resolve) => {
    const started = serve({ fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) =>
      resolve({ server: started, port: info.port }),
    );
  });
}

async function shot(name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function accountId(): Promise<string> {
  const account = (await h.accounts.listAccounts()).items.find((a) => a.email === OWNER);
  if (!account) throw new Error("no account");
  return account.accountId;
}

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  let app: Harness["app"] | undefined;
  const listening = await listen((request) =>
    app ? app.fetch(request) : new Response("starting", { status: 503 }),
  );
  server = listening.server;
  base = `http://localhost:${listening.port}`;
  h = await startHarness({ config: { baseUrl: base } });
  app = h.app;
  profile = await mkdtemp(join(tmpdir(), "decorum-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1200, height: 900 },
    acceptDownloads: true,
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (message) => {
    // Failed responses are checked by URL below; a 422 for a refused form is expected.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
      problems.push(message.text());
    }
  });
  page.on("response", (response) => {
    const status = response.status();
    if (status >= 400 && status !== 422) problems.push(`${status} ${response.url()}`);
  });
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("dialog", (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
});

afterAll(async () => {
  await context?.close();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await h?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

describe("the settings app in Chromium", () => {
  it("signs in with Google and keeps a Secure session cookie over http://localhost", async () => {
    await page.goto(`${base}/settings`);
    expect(new URL(page.url()).pathname).toBe("/signin");
    await page.keyboard.press("Tab");
    await expect(page.locator(":focus").textContent()).resolves.toBe("Skip to content");
    await shot("signin");

    await page.getByRole("link", { name: "Sign in with Google" }).click();
    // The emulator's account chooser (it has several users), then consent and the callback.
    await page.getByRole("link", { name: new RegExp(OWNER) }).click();
    await page.waitForURL(`${base}/`);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Activity");

    const cookies = await context.cookies(base);
    const session = cookies.find((c) => c.name === "__Host-decorum_session");
    expect(session).toMatchObject({ secure: true, httpOnly: true, sameSite: "Lax", path: "/" });
    expect(session?.expires).toBeGreaterThan(Date.now() / 1000);
    expect(cookies.find((c) => c.name === "__Host-decorum_oauth")).toBeUndefined();
    expect(h.connection.calls).toEqual([{ op: "connect", accountId: await accountId() }]);
  });

  it("shows the activity, styled by the served stylesheet, escaping what mail says", async () => {
    const ledger = h.ledger(await accountId());
    const day = 86_400_000;
    for (let i = 0; i < 7; i++) {
      await ledger.record(
        record({
          client: "client.example",
          subject: i === 0 ? XSS_SUBJECT : `Dinner at Casa Lucio, round ${i}`,
          receivedAt: new Date(Date.now() - i * 4 * day).toISOString(),
          action: i % 3 === 0 ? "decline" : "accept",
          reasons: [
            { rule: "meal_or_drinks.meal", explanation: "Invites you to a meal — rule 4" },
            ...(i % 3 === 0
              ? [
                  {
                    rule: "policy.frequency",
                    explanation:
                      "The 3rd invitation from this client within 14 days — rule 4: decline this one politely",
                  },
                ]
              : []),
          ],
          draft:
            i % 3 === 0
              ? {
                  state: "drafted",
                  draftId: `r${i}`,
                  threadId: `t${i}`,
                  at: new Date().toISOString(),
                }
              : { state: "none" },
        }),
      );
    }
    await ledger.record(
      record({ client: "golfclub.example", category: "outing", subject: "Golf day" }),
    );
    await page.reload();
    await expect(page.getByRole("heading", { name: XSS_SUBJECT }).isVisible()).resolves.toBe(true);
    const header = await page.evaluate(
      "getComputedStyle(document.querySelector('header.site')).backgroundColor",
    );
    expect(header).toBe("rgb(31, 58, 95)");
    await shot("activity");

    await page.getByLabel("Category").selectOption("outing");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page.locator("ol.items > li").count()).resolves.toBe(1);

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/`);
    const overflow = Number(
      await page.evaluate("document.documentElement.scrollWidth - window.innerWidth"),
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await shot("activity-phone");
    await page.setViewportSize({ width: 1200, height: 900 });
  });

  it("shows a client's history with a weekly chart", async () => {
    await page.goto(`${base}/`);
    await page.getByRole("link", { name: "client.example", exact: true }).first().click();
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe(
      "Client: client.example",
    );
    await expect(page.locator("svg.chart rect.bar").count()).resolves.toBe(12);
    await shot("client");
  });

  it("refuses invalid settings beside the fields, then saves and keeps them after reload", async () => {
    const id = await accountId();
    const before = (await h.accounts.getAccount(id))?.settings;
    await page.goto(`${base}/settings`);
    await page.getByLabel("Your name").fill("Alex Morgan-Reyes");
    await page.getByLabel("Word for your partner").fill("my husband");
    await page.getByLabel("Decline the n-th invitation").fill("99");
    await page.getByLabel("Client domains").fill("client.example\nnot a domain");
    await page.getByRole("button", { name: "Save settings" }).click();

    await expect(page.locator(".error-summary").isVisible()).resolves.toBe(true);
    await expect(page.locator(":focus").getAttribute("class")).resolves.toBe("error-summary");
    await expect(page.locator("#frequency\\.threshold-error").textContent()).resolves.toContain(
      "Must be at most 20",
    );
    await expect(page.locator("#clients\\.domains-error").textContent()).resolves.toContain(
      "Line 2 (“not a domain”)",
    );
    await expect(page.getByLabel("Your name").inputValue()).resolves.toBe("Alex Morgan-Reyes");
    await expect(
      page.getByLabel("Decline the n-th invitation").getAttribute("aria-invalid"),
    ).resolves.toBe("true");
    expect((await h.accounts.getAccount(id))?.settings).toEqual(before);
    await shot("settings-errors");

    await page.getByLabel("Decline the n-th invitation").fill("4");
    await page.getByLabel("Client domains").fill("client.example\ngolfclub.example");
    await page.getByLabel("Time zone").selectOption("Europe/London");
    await page.getByLabel("Dry run").check();
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByText("Your settings are saved.").isVisible()).resolves.toBe(true);

    await page.reload();
    await expect(page.getByLabel("Word for your partner").inputValue()).resolves.toBe("my husband");
    await expect(page.getByLabel("Decline the n-th invitation").inputValue()).resolves.toBe("4");
    await expect(page.getByLabel("Time zone").inputValue()).resolves.toBe("Europe/London");
    await expect(page.getByLabel("Dry run").isChecked()).resolves.toBe(true);
    const saved = (await h.accounts.getAccount(id))?.settings;
    expect(saved?.frequency.threshold).toBe(4);
    expect(saved?.clients.domains).toEqual(["client.example", "golfclub.example"]);
    await shot("settings");
  });

  it("previews an edited reply phrasing", async () => {
    await page.goto(`${base}/replies?kind=frequency&lang=en`);
    await page
      .getByLabel("Phrasing 1", { exact: true })
      .fill("Thanks so much for {invitation}! Sadly {partner} and I are away {thatTime}.");
    await page.getByRole("button", { name: "Preview" }).click();
    await expect(page.locator("pre.letter").first().textContent()).resolves.toContain(
      "Sadly my husband and I are away that evening.",
    );
    await shot("replies");
  });

  it("tries a pasted email without storing it", async () => {
    const invitations = async () =>
      (await h.dynamo.scanAll()).filter((item) => item.type === "invitation").length;
    const before = await invitations();
    await page.goto(`${base}/try`);
    await page.getByLabel("The email").fill(await readFile(POKER, "utf8"));
    await page.getByRole("button", { name: "See what Decorum would do" }).click();
    await expect(
      page.getByRole("heading", { name: "What Decorum would do" }).isVisible(),
    ).resolves.toBe(true);
    await expect(page.locator("dl.facts").textContent()).resolves.toContain("Declined firmly");
    await expect(page.locator("pre.letter").textContent()).resolves.toContain("Hi Jordan,");
    expect(await invitations()).toBe(before);
    await shot("try");
  });

  it("previews the weekly summary", async () => {
    await page.goto(`${base}/summary`);
    const frame = page.frameLocator("iframe.summary");
    await expect(frame.getByText("Your week").first().isVisible()).resolves.toBe(true);
    await shot("summary");
  });

  it("exports everything as a JSON download", async () => {
    await page.goto(`${base}/data`);
    await shot("data");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download my data (JSON)" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^decorum-export-\d{4}-\d{2}-\d{2}\.json$/);
    const data = ExportFile.parse(JSON.parse(await readFile(await download.path(), "utf8")));
    expect(data.account.email).toBe(OWNER);
    expect(data.account.settings.owner.partnerWord).toBe("my husband");
    expect(data.invitations).toHaveLength(8);
    expect(JSON.stringify(data)).not.toContain("refreshToken");
  });

  it("deletes everything after confirmation and signs out", async () => {
    const id = await accountId();
    await page.goto(`${base}/data`);
    await page.getByRole("link", { name: "Delete my data…" }).click();
    await page.getByLabel(/To confirm, type your address/).fill("wrong@example.com");
    await page.getByRole("button", { name: "Delete everything" }).click();
    await expect(page.locator("#confirm-error").textContent()).resolves.toContain(
      "nothing was deleted",
    );
    expect(await h.accounts.getAccount(id)).not.toBeNull();

    await page.getByLabel(/To confirm, type your address/).fill(OWNER);
    await page.getByRole("button", { name: "Delete everything" }).click();
    await page.waitForURL(`${base}/signin?m=deleted`);
    await expect(page.getByText("has been deleted").isVisible()).resolves.toBe(true);
    expect(await h.accounts.getAccount(id)).toBeNull();
    expect((await h.dynamo.scanAll()).filter((item) => item.pk === `A#${id}`)).toEqual([]);
    expect(h.connection.calls.at(-1)).toEqual({ op: "disconnect", accountId: id });

    await page.goto(`${base}/settings`);
    expect(new URL(page.url()).pathname).toBe("/signin");
  });

  it("met no script error, dialog or Content-Security-Policy violation on the way", () => {
    expect(problems).toEqual([]);
  });
});
