import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { builtInPhrasings } from "../../functions/core/reply/index.ts";
import { DEFAULT_SETTINGS } from "../../functions/schemas/settings.ts";
import {
  Browser,
  ExportFile,
  type Harness,
  OWNER,
  PARTNER,
  record,
  startHarness,
} from "./harness.ts";

const FIXTURES = new URL("../fixtures/http/", import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES));

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

let hosts = 0;

/** Signs in from a fresh address each time, so the sign-in rate limit never gets in the way. */
async function signedIn(email = OWNER) {
  const browser = new Browser(h, `198.51.100.${++hosts}`);
  const res = await browser.signIn(email);
  expect(res.status).toBe(303);
  const account = (await h.accounts.listAccounts()).items.find((a) => a.email === email);
  if (!account) throw new Error("not signed in");
  return { browser, accountId: account.accountId };
}

/** The settings form as the page renders it, ready to post back with changes. */
const VALID_FORM = {
  "owner.name": "Alex Morgan",
  "owner.signature": "Partner\nMorgan Advisory",
  "owner.partnerWord": "my husband",
  timeZone: "Europe/London",
  "summary.weekday": "5",
  "summary.hour": "17",
  "summary.sendWhenEmpty": "on",
  "clients.domains": "client.example\nbigco.example",
  "clients.addresses": "pat.private@gmail.com",
  "clients.consumerDomains": "",
  "clients.established": "bigco.example",
  "clients.establishedAfterDays": "180",
  "frequency.threshold": "4",
  "frequency.windowDays": "21",
  "override.travel": "review",
  reviewBelow: "0.6",
  retentionDays: "400",
  "rule.policy.frequency": "on",
};

describe("signing in", () => {
  it("creates the account, stores the refresh token, starts the watch and opens a session", async () => {
    const before = h.connection.calls.length;
    const { browser, accountId } = await signedIn(OWNER);
    const account = await h.accounts.getAccount(accountId);
    expect(account?.email).toBe(OWNER);
    expect(account?.settings.owner.email).toBe(OWNER);
    expect(account?.connection.state).toBe("connected");
    expect(account?.hasRefreshToken).toBe(true);
    expect(h.connection.calls.slice(before)).toEqual([{ op: "connect", accountId }]);
    expect((await browser.get("/")).status).toBe(200);
  });

  it("keys the account by Google's subject, so a second sign-in finds the same account", async () => {
    const first = await signedIn(PARTNER);
    const second = await signedIn(PARTNER);
    expect(second.accountId).toBe(first.accountId);
  });

  it("still signs in when the watch cannot start, and says so", async () => {
    h.connection.state.failConnect = true;
    try {
      const browser = new Browser(h, "192.0.2.24");
      const res = await browser.signIn(OWNER);
      expect(res.headers.get("location")).toBe("/?m=watch-failed");
      const page = await (await browser.get("/?m=watch-failed")).text();
      expect(page).toContain("could not start watching Gmail and Calendar yet");
    } finally {
      h.connection.state.failConnect = false;
    }
  });

  it("sends a signed-in owner from the sign-in page to the activity, and reconnects as them", async () => {
    const { browser } = await signedIn(OWNER);
    const signin = await browser.get("/signin");
    expect(signin.status).toBe(302);
    expect(signin.headers.get("location")).toBe("/");
    const authUrl = new URL(await browser.startSignIn());
    expect(authUrl.searchParams.get("login_hint")).toBe(OWNER);
    expect(authUrl.searchParams.get("access_type")).toBe("offline");
    expect(authUrl.searchParams.get("code_challenge_method")).toBe("S256");
  });

  it("returns to sign-in with a notice when the owner cancels at Google", async () => {
    const browser = new Browser(h, "192.0.2.25");
    const authUrl = new URL(await browser.startSignIn());
    authUrl.searchParams.set("deny", "1");
    const callback = await browser.consent(authUrl.toString(), OWNER);
    const res = await browser.get(callback);
    expect(res.headers.get("location")).toBe("/signin?m=denied");
    expect(await (await browser.get("/signin?m=denied")).text()).toContain("cancelled");
  });
});

describe("settings", () => {
  let browser: Browser;
  let accountId: string;
  beforeEach(async () => {
    ({ browser, accountId } = await signedIn(OWNER));
    await h.accounts.putSettings(accountId, { owner: { email: OWNER } });
  });

  it("saves a valid form whole, and shows it after reload", async () => {
    const token = await browser.formToken();
    const res = await browser.post("/settings", { _csrf: token, ...VALID_FORM });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/settings?saved=1");
    const settings = (await h.accounts.getAccount(accountId))?.settings;
    expect(settings).toMatchObject({
      owner: {
        name: "Alex Morgan",
        partnerWord: "my husband",
        signature: "Partner\nMorgan Advisory",
      },
      timeZone: "Europe/London",
      summary: { weekday: 5, hour: 17, sendWhenEmpty: true },
      clients: {
        domains: ["client.example", "bigco.example"],
        addresses: ["pat.private@gmail.com"],
        established: ["bigco.example"],
        establishedAfterDays: 180,
      },
      frequency: { threshold: 4, windowDays: 21 },
      overrides: { travel: "review" },
      reviewBelow: 0.6,
      dryRun: false,
      paused: false,
    });
    // Unticked rule switches are stored as off; the ticked one stays on.
    expect(settings?.rules["policy.frequency"]).toBeUndefined();
    expect(settings?.rules["policy.home_visit_until_established"]).toBe(false);
    const page = await (await browser.get("/settings?saved=1")).text();
    expect(page).toContain("Your settings are saved.");
    expect(page).toContain('value="my husband"');
    expect(page).toContain("client.example\nbigco.example</textarea>");
  });

  it.each([
    ["frequency.threshold", "99", "Must be at most 20"],
    ["frequency.windowDays", "soon", "Must be a number"],
    ["clients.domains", "client.example\nnot a domain", "Line 2 (“not a domain”)"],
    ["clients.addresses", "pat@", "must be an email address"],
    ["timeZone", "Mars/Olympus", "IANA time zone"],
    ["owner.name", "   ", "Required"],
    ["reviewBelow", "1.5", "Must be at most 1"],
    ["override.home_visit", "explode", "Choose one of the listed options"],
  ])("refuses %s = %j, says why beside it, and saves nothing", async (name, value, message) => {
    const before = (await h.accounts.getAccount(accountId))?.settings;
    const token = await browser.formToken();
    const res = await browser.post("/settings", { _csrf: token, ...VALID_FORM, [name]: value });
    expect(res.status).toBe(422);
    const html = await res.text();
    const error = new RegExp(`id="${name.replace(".", "\\.")}-error"><p class="error">.*?</p>`);
    expect(html).toMatch(error);
    expect(error.exec(html)?.[0]).toContain(message);
    expect(html).toContain(`aria-describedby="${name}-hint ${name}-error"`);
    expect(html).toContain("Nothing was saved");
    expect((await h.accounts.getAccount(accountId))?.settings).toEqual(before);
  });

  it("keeps every typed value in a refused form", async () => {
    const token = await browser.formToken();
    const res = await browser.post("/settings", {
      _csrf: token,
      ...VALID_FORM,
      "frequency.threshold": "99",
    });
    const html = await res.text();
    expect(html).toContain('value="my husband"');
    expect(html).toContain('value="99"');
  });

  it("keeps the reply phrasings, which this form does not edit", async () => {
    await h.accounts.putSettings(accountId, {
      owner: { email: OWNER },
      replies: { romantic: { en: ["Thanks for {invitation}, but no."] } },
    });
    const token = await browser.formToken();
    await browser.post("/settings", { _csrf: token, ...VALID_FORM });
    const settings = (await h.accounts.getAccount(accountId))?.settings;
    expect(settings?.replies.romantic?.en).toEqual(["Thanks for {invitation}, but no."]);
  });
});

describe("replies", () => {
  let browser: Browser;
  let accountId: string;
  beforeAll(async () => {
    ({ browser, accountId } = await signedIn(OWNER));
  });

  it("shows the built-in phrasings with a preview against a sample invitation", async () => {
    const html = await (await browser.get("/replies?kind=home_visit&lang=en")).text();
    expect(html).toContain("Preview of phrasing 1");
    expect(html).toContain("Hi Jordan,");
    expect(html).toContain("lunch instead");
  });

  it("previews an edited phrasing without saving it", async () => {
    const before = (await h.accounts.getAccount(accountId))?.settings.replies;
    const token = await browser.formToken("/replies");
    const res = await browser.post("/replies", {
      _csrf: token,
      kind: "frequency",
      lang: "en",
      intent: "preview",
      phrasing: ["Thanks for {invitation}! {partner} and I are away {thatTime}.", ""],
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/Thanks for your invitation to “Drinks at The Anchor” on \w+!/);
    expect((await h.accounts.getAccount(accountId))?.settings.replies).toEqual(before);
  });

  it("saves edited phrasings, and goes back to the built-in ones on request", async () => {
    const token = await browser.formToken("/replies");
    const mine = "Thank you for {invitation}. I keep my work and my private life apart.";
    const saved = await browser.post("/replies", {
      _csrf: token,
      kind: "romantic",
      lang: "en",
      intent: "save",
      phrasing: [mine, ""],
    });
    expect(saved.headers.get("location")).toBe("/replies?kind=romantic&lang=en&m=saved");
    expect((await h.accounts.getAccount(accountId))?.settings.replies.romantic?.en).toEqual([mine]);
    const page = await (await browser.get("/replies?kind=romantic&lang=en&m=saved")).text();
    expect(page).toContain("Your phrasings are saved.");
    expect(page).toContain("I keep my work and my private life apart.</textarea>");

    await browser.post("/replies", { _csrf: token, kind: "romantic", lang: "en", intent: "reset" });
    expect((await h.accounts.getAccount(accountId))?.settings.replies.romantic).toBeUndefined();
  });

  it("refuses an unknown placeholder beside the phrasing, and saves nothing", async () => {
    const token = await browser.formToken("/replies");
    const res = await browser.post("/replies", {
      _csrf: token,
      kind: "frequency",
      lang: "es",
      intent: "save",
      phrasing: ["Gracias, {nombre}."],
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('id="phrasing-0-error"');
    expect(html).toContain("Decorum does not know {nombre}");
    expect(
      (await h.accounts.getAccount(accountId))?.settings.replies.frequency?.es,
    ).toBeUndefined();
  });

  it("warns about words that give the rule away", async () => {
    const token = await browser.formToken("/replies");
    const html = await (
      await browser.post("/replies", {
        _csrf: token,
        kind: "frequency",
        lang: "en",
        intent: "preview",
        phrasing: ["Our policy is to decline the third invitation."],
      })
    ).text();
    expect(html).toContain("can give away a rule, a count or the category");
  });

  it("stores nothing when the owner saves the built-in phrasings unchanged", async () => {
    const token = await browser.formToken("/replies");
    await browser.post("/replies", {
      _csrf: token,
      kind: "objectionable",
      lang: "de",
      intent: "save",
      phrasing: [...builtInPhrasings.objectionable.de],
    });
    expect(
      (await h.accounts.getAccount(accountId))?.settings.replies.objectionable,
    ).toBeUndefined();
  });
});

describe("try it", () => {
  let browser: Browser;
  beforeAll(async () => {
    let accountId: string;
    ({ browser, accountId } = await signedIn(OWNER));
    // Earlier tests switched rules off; try-it uses the account's own settings.
    await h.accounts.putSettings(accountId, { owner: { email: OWNER } });
  });

  async function invitationItems(): Promise<number> {
    const items = await h.dynamo.scanAll();
    return items.filter((item) => item.type === "invitation").length;
  }

  it("classifies a pasted email and shows the draft, storing nothing", async () => {
    const before = await invitationItems();
    const token = await browser.formToken("/try");
    const res = await browser.post("/try", {
      _csrf: token,
      raw: fixture("poker-night.eml").toString("utf8"),
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Objectionable");
    expect(html).toContain("Declined firmly");
    expect(html).toContain("Invitation to a poker game");
    expect(html).toContain("Hi Jordan,");
    expect(await invitationItems()).toBe(before);
  });

  it("classifies pasted text with the sender given separately", async () => {
    const token = await browser.formToken("/try");
    const html = await (
      await browser.post("/try", {
        _csrf: token,
        raw: "Would you like to come to a strip club with us on Saturday night?",
        from: "sam@client.example",
        subject: "Saturday",
      })
    ).text();
    expect(html).toContain("the sender and subject above were used");
    expect(html).toContain("sam@client.example");
    expect(html).toContain("Objectionable");
  });

  it("reads an uploaded .ics invitation", async () => {
    const token = await browser.formToken("/try");
    const form = new FormData();
    form.set("_csrf", token);
    form.set("raw", "");
    form.set("file", new Blob([fixture("golf-day.ics")]), "golf-day.ics");
    const res = await browser.post("/try", form);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Golf day at Royal Oaks");
  });

  it.each([
    ["nothing", { raw: "" }, "raw", "Paste an email"],
    ["a bad sender", { raw: "Lunch?", from: "not an address" }, "from", "sender’s email"],
    ["a broken calendar", { raw: "BEGIN:VCALENDAR\nEND:VCALENDAR" }, "raw", "could not read"],
  ])("says what is wrong with %s", async (_name, fields, field, message) => {
    const token = await browser.formToken("/try");
    const res = await browser.post("/try", { _csrf: token, ...fields });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain(`id="${field}-error"`);
    expect(html).toContain(message);
  });
});

describe("activity", () => {
  let browser: Browser;
  let accountId: string;
  beforeAll(async () => {
    ({ browser, accountId } = await signedIn(OWNER));
    const ledger = h.ledger(accountId);
    const day = 86_400_000;
    for (let week = 0; week < 3; week++) {
      for (let i = 0; i <= week; i++) {
        await ledger.record(
          record({
            client: "weekly.example",
            subject: `Weekly ${week}-${i}`,
            receivedAt: new Date(Date.now() - (week * 7 + i * 0.1) * day).toISOString(),
          }),
        );
      }
    }
    await ledger.record(
      record({ client: "other.example", category: "outing", action: "decline", subject: "Golf" }),
    );
  });

  it("lists invitations with category, action, reasons and Gmail links", async () => {
    const html = await (await browser.get("/")).text();
    expect(html).toContain("Weekly 0-0");
    expect(html).toContain("Meals and drinks");
    expect(html).toContain("Invites you to a meal — rule 4");
    expect(html).toMatch(/href="https:\/\/mail\.google\.com\/mail\/u\/0\/#all\/t\d+"/);
  });

  it.each([
    ["/?client=other.example", "Golf", "Weekly 0-0"],
    ["/?category=outing", "Golf", "Weekly 0-0"],
    ["/?category=meal_or_drinks", "Weekly 0-0", ">Golf<"],
  ])("filters %s", async (path, shown, hidden) => {
    const html = await (await browser.get(path)).text();
    expect(html).toContain(shown);
    expect(html).not.toContain(hidden);
  });

  it("shows a client's history and a chart of invitations per week", async () => {
    const html = await (await browser.get("/clients/weekly.example")).text();
    expect(html).toContain("Client: weekly.example");
    expect(html).toContain("Weekly 2-2");
    expect(html).toContain("<svg");
    // 12 weeks, the last three holding 3, 2 and 1 invitation in time order (or spread over a
    // week boundary): six in all, never more than 6 bars with content.
    const counts = [...html.matchAll(/<td>(\d{4}-\d{2}-\d{2})<\/td><td>(\d+)<\/td>/g)].map((m) =>
      Number(m[2]),
    );
    expect(counts).toHaveLength(12);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(6);
  });
});

describe("summary preview", () => {
  it("renders the weekly summary in a sandboxed frame", async () => {
    const { browser } = await signedIn(OWNER);
    const page = await (await browser.get("/summary")).text();
    expect(page).toContain('src="/summary/frame"');
    expect(page).toContain('sandbox=""');
    const frame = await browser.get("/summary/frame");
    expect(frame.status).toBe(200);
    expect(await frame.text()).toContain("Your week");
    const week = await (await browser.get("/summary?week=nonsense")).text();
    expect(week).toContain("is not a week like 2025-W13");
  });
});

describe("your data", () => {
  it("exports everything except the token and sessions", async () => {
    const { browser, accountId } = await signedIn(OWNER);
    await h.ledger(accountId).record(record({ subject: "In the export" }));
    const res = await browser.get("/data/export");
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="decorum-export-/);
    const data = ExportFile.parse(await res.json());
    expect(data.account.email).toBe(OWNER);
    expect(data.account.settings.owner.name).toBe(DEFAULT_SETTINGS.owner.name);
    expect(data.invitations.map((i) => i.subject)).toContain("In the export");
    expect(data.clients.length).toBeGreaterThan(0);
    const text = JSON.stringify(data);
    expect(text).not.toContain("refreshToken");
    expect(text).not.toContain("SESSION#");
    expect(text).not.toContain('"pk"');
  });

  it("disconnects Google: stops the watch, revokes and forgets the token", async () => {
    const { browser, accountId } = await signedIn(PARTNER);
    const token = await browser.formToken("/data");
    const calls = h.connection.calls.length;
    const revokes = h.emulator.calls.filter((c) => c.method === "oauth.revoke").length;
    const res = await browser.post("/data/disconnect", { _csrf: token });
    expect(res.headers.get("location")).toBe("/data?m=disconnected");
    expect(h.connection.calls.slice(calls)).toEqual([{ op: "disconnect", accountId }]);
    const revokeCalls = h.emulator.calls.filter((c) => c.method === "oauth.revoke");
    expect(revokeCalls.length).toBe(revokes + 1);
    expect(revokeCalls.at(-1)?.status).toBe(200);
    const account = await h.accounts.getAccount(accountId);
    expect(account?.connection.state).toBe("disconnected");
    expect(account?.hasRefreshToken).toBe(false);
    const page = await (await browser.get("/data?m=disconnected")).text();
    expect(page).toContain("Connect Google again");
  });

  it("deletes everything after confirmation, revokes, and signs out", async () => {
    const { browser, accountId } = await signedIn(OWNER);
    const other = new Browser(h, "192.0.2.83");
    await other.signIn(OWNER);
    await h.ledger(accountId).record(record({ subject: "To be deleted" }));
    const token = await browser.formToken("/data/delete");

    const wrong = await browser.post("/data/delete", { _csrf: token, confirm: "someone@else" });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain("nothing was deleted");
    expect(await h.accounts.getAccount(accountId)).not.toBeNull();

    const calls = h.connection.calls.length;
    const res = await browser.post("/data/delete", { _csrf: token, confirm: OWNER.toUpperCase() });
    expect(res.headers.get("location")).toBe("/signin?m=deleted");
    expect(h.connection.calls.slice(calls)).toEqual([{ op: "disconnect", accountId }]);
    expect(await h.accounts.getAccount(accountId)).toBeNull();
    const left = (await h.dynamo.scanAll()).filter((item) => item.pk === `A#${accountId}`);
    expect(left).toEqual([]);
    expect(browser.jar.get("__Host-decorum_session")).toBeUndefined();
    // Every device is signed out: their sessions were in the deleted partition.
    expect((await other.get("/")).status).toBe(302);
  });
});
