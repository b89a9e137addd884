import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import type { Mailbox } from "../../../functions/core/model.ts";
import {
  composeReply,
  ReplyError,
  type ReplyInput,
  renderPreview,
} from "../../../functions/core/reply/index.ts";
import {
  LANGUAGES,
  type Language,
  REPLY_KINDS,
  type ReplyKind,
} from "../../../functions/core/vocabulary.ts";
import { parseSettings, type SettingsInput } from "../../../functions/schemas/settings.ts";
import { calendarEvent, invitation, NOW } from "../../fixtures/reply/invitation.ts";

/** Senders and subjects that need RFC 2047 and UTF-8 body encoding in each language. */
const SENDERS: Record<Language, { from: Mailbox; subject: string; first: string }> = {
  en: {
    from: { name: "Zoë O'Brien", address: "zoe.obrien@client.example" },
    subject: "Drinks at the Café Royal?",
    first: "Zoë",
  },
  es: {
    from: { name: "Núñez, José", address: "jose.nunez@client.example" },
    subject: "RE: Cena en el café del Señor Muñoz",
    first: "José",
  },
  fr: {
    from: { name: "Hélène Lefèvre", address: "helene@client.example" },
    subject: "TR : Dîner à l'hôtel Crillon",
    first: "Hélène",
  },
  de: {
    from: { name: "Jürgen Weiß", address: "juergen.weiss@client.example" },
    subject: "AW: Grüße – Abendessen in der Straße am Fluss",
    first: "Jürgen",
  },
};

const OWNER = {
  name: "Zoé Martínez-Groß",
  email: "zoe@firm.example",
  signature: "Associée · Martínez & Groß\nMünchen",
};

function input(overrides: Partial<ReplyInput> = {}, settings: SettingsInput = {}): ReplyInput {
  return {
    message: invitation({
      messageId: "orig-2@mail.client.example",
      references: ["root-1@mail.client.example"],
    }),
    kind: "frequency",
    language: "en",
    settings: parseSettings({ owner: OWNER, ...settings }),
    variant: 0,
    now: NOW,
    ...overrides,
  };
}

const TABLE = REPLY_KINDS.flatMap((kind) =>
  LANGUAGES.flatMap((language) => [0, 1, 2, 3, 5].map((variant) => ({ kind, language, variant }))),
);

describe("composeReply parses back cleanly", () => {
  it.each(TABLE)("$kind/$language variant $variant", async ({ kind, language, variant }) => {
    const sender = SENDERS[language];
    const draft = await composeReply(
      input({
        kind,
        language,
        variant,
        message: invitation({
          from: sender.from,
          subject: sender.subject,
          messageId: "orig-2@mail.client.example",
          references: ["root-1@mail.client.example"],
          events: [calendarEvent({ organizer: sender.from })],
        }),
      }),
    );

    expect(draft.raw).not.toMatch(/\r(?!\n)|(?<!\r)\n/);
    expect(draft.raw).toMatch(/^[\t\r\n -~]*$/);
    expect(draft.raw).toMatch(/\r\nSubject: =\?UTF-8\?[QB]\?/);

    const parsed = await PostalMime.parse(draft.raw);
    expect(parsed.from).toMatchObject({ name: OWNER.name, address: OWNER.email });
    expect(parsed.to).toEqual([sender.from]);
    expect(parsed.subject).toBe(draft.subject);
    expect(parsed.subject?.startsWith("Re: ")).toBe(true);
    expect(parsed.subject?.slice(4)).not.toMatch(/^(?:re|aw|tr|rv)\s*:/i);
    expect(parsed.inReplyTo).toBe("<orig-2@mail.client.example>");
    expect(parsed.references).toBe("<root-1@mail.client.example> <orig-2@mail.client.example>");
    expect(parsed.date).toBe(NOW.toISOString());
    expect(parsed.text).toBe(draft.body);
    expect(parsed.text?.split("\n")[0]).toContain(sender.first);
    expect(parsed.text).toContain("Martínez-Groß");
    expect(parsed.text).toContain("Associée · Martínez & Groß\nMünchen");
    expect(parsed.headers.map((header) => header.key)).not.toContain("bcc");

    expect(draft.to).toBe(sender.from.address);
    expect(draft.inReplyTo).toBe("orig-2@mail.client.example");
    expect(draft.references).toEqual(["root-1@mail.client.example", "orig-2@mail.client.example"]);
  });
});

describe("composeReply", () => {
  it("strips stacked prefixes so the subject matches the thread", async () => {
    const draft = await composeReply(
      input({ message: invitation({ subject: "RE: AW: Fwd: Golf at Pine Hill" }) }),
    );
    expect(draft.subject).toBe("Re: Golf at Pine Hill");
  });

  it("leaves In-Reply-To out for a standalone .ics and replies to its organizer", async () => {
    const organizer = { name: "Carlos Ruiz", address: "carlos@client.example" };
    const draft = await composeReply(
      input({
        language: "es",
        message: invitation({
          kind: "calendar",
          messageId: null,
          from: null,
          to: [],
          subject: "",
          events: [calendarEvent({ organizer, summary: "Cena de empresa" })],
        }),
      }),
    );
    const parsed = await PostalMime.parse(draft.raw);
    expect(draft.inReplyTo).toBeNull();
    expect(draft.references).toEqual([]);
    expect(parsed.inReplyTo).toBeUndefined();
    expect(parsed.references).toBeUndefined();
    expect(parsed.to).toEqual([organizer]);
    expect(parsed.subject).toBe("Re: Cena de empresa");
    expect(
      draft.body.startsWith("Hola, Carlos:\n") || draft.body.startsWith("Buenos días, Carlos:\n"),
    ).toBe(true);
  });

  it("does not repeat a Message-ID already in References", async () => {
    const draft = await composeReply(
      input({
        message: invitation({
          messageId: "orig@x.example",
          references: ["<root@x.example>", "<orig@x.example>"],
        }),
      }),
    );
    expect(draft.references).toEqual(["root@x.example", "orig@x.example"]);
  });

  it("greets neutrally when the sender gives no name", async () => {
    const from = { name: "", address: "info@client.example" };
    const bodies = await Promise.all(
      LANGUAGES.map(async (language) => {
        const draft = await composeReply(input({ language, message: invitation({ from }) }));
        return draft.body.split("\n")[0];
      }),
    );
    expect(bodies).toEqual(["Hi there,", "Hola:", "Bonjour,", "Guten Tag,"]);
  });

  it("sends from the invitation's To address when the owner's address is unset", async () => {
    const draft = await composeReply(
      input(
        { message: invitation({ to: [{ name: "", address: "alex.morgan@firm.example" }] }) },
        { owner: { name: "Alex Morgan" } },
      ),
    );
    const parsed = await PostalMime.parse(draft.raw);
    expect(parsed.from).toMatchObject({ name: "Alex Morgan", address: "alex.morgan@firm.example" });
  });

  it('leaves From to Gmail ("me") when nothing names the owner', async () => {
    const draft = await composeReply(
      input({ message: invitation({ to: [] }) }, { owner: { name: "Alex Morgan" } }),
    );
    const parsed = await PostalMime.parse(draft.raw);
    expect(parsed.from).toBeUndefined();
  });

  it("uses the owner's phrasings instead of the built-in ones, with placeholders filled", async () => {
    const replies = {
      frequency: {
        en: [
          "Thanks for {invitation}, {firstName}! {partner} and I are away {thatTime}. — {owner}",
          "Many thanks for {event}, but I'm tied up {day}.",
        ],
      },
    };
    const settings = { owner: { ...OWNER, partnerWord: "My wife" }, replies };
    const texts = await Promise.all(
      [0, 1, 2].map(async (variant) => {
        const draft = await composeReply(
          input({ variant, message: invitation({ events: [calendarEvent()] }) }, settings),
        );
        return draft.body.split("\n\n")[1];
      }),
    );
    expect(texts).toEqual([
      "Thanks for your invitation to “Dinner at Casa Lucio” on Thursday, Jane! My wife and I are away that evening. — Zoé Martínez-Groß",
      "Many thanks for “Dinner at Casa Lucio”, but I'm tied up on Thursday.",
      "Thanks for your invitation to “Dinner at Casa Lucio” on Thursday, Jane! My wife and I are away that evening. — Zoé Martínez-Groß",
    ]);
  });

  it("keeps the built-in phrasings for languages the owner has not written", async () => {
    const settings = { replies: { frequency: { en: ["Thanks, {firstName}."] } } };
    const draft = await composeReply(input({ language: "de" }, settings));
    expect(draft.body).toContain("Dank für");
    expect(draft.body).not.toContain("Thanks,");
  });

  it("gives the same draft for the same input", async () => {
    const [first, second] = await Promise.all([composeReply(input()), composeReply(input())]);
    expect(second).toEqual(first);
  });

  it.each([-1, 1.5, Number.NaN])("refuses the variant %s", async (variant) => {
    await expect(composeReply(input({ variant }))).rejects.toBeInstanceOf(RangeError);
  });

  it("refuses an invitation with nobody to reply to", async () => {
    const robot = { name: "", address: "noreply@client.example" };
    await expect(
      composeReply(input({ message: invitation({ from: robot }) })),
    ).rejects.toBeInstanceOf(ReplyError);
  });
});

describe("renderPreview", () => {
  it.each(REPLY_KINDS.flatMap((kind) => LANGUAGES.map((language) => ({ kind, language }))))(
    "previews $kind in $language against a sample invitation",
    ({ kind, language }) => {
      const letter = renderPreview({
        kind,
        language,
        settings: parseSettings({ owner: OWNER }),
        now: NOW,
      });
      expect(letter.to.address).toMatch(/@client\.example$/);
      expect(letter.subject.startsWith("Re: ")).toBe(true);
      expect(letter.body).toContain(OWNER.name);
    },
  );

  it("previews the phrasing being edited", () => {
    const kind: ReplyKind = "home_visit";
    const letter = renderPreview({
      kind,
      language: "en",
      settings: parseSettings({}),
      phrasing: "Thank you for {invitation}! Coffee instead?",
      now: NOW,
    });
    expect(letter.body).toBe(
      "Hi Jordan,\n\nThank you for your invitation to “Dinner at our place” on Thursday! Coffee instead?\n\nWarm regards,\nAlex Morgan\n",
    );
  });
});
