import fc from "fast-check";
import MailComposer from "nodemailer/lib/mail-composer";
import { describe, expect, it } from "vitest";
import { buildMessage } from "../../functions/core/mime.ts";

/**
 * Reply drafts take a fast path that lays the message out from nodemailer's own encoders instead
 * of running MailComposer. It must write the very bytes MailComposer would.
 */
async function viaMailComposer(input: {
  from: { name: string; address: string };
  to: { name: string; address: string };
  subject: string;
  text: string;
  inReplyTo: string;
  references: string[];
  messageId: string;
  date: Date;
}): Promise<string> {
  const composer = new MailComposer({
    from: input.from,
    to: input.to,
    subject: input.subject,
    text: input.text,
    inReplyTo: `<${input.inReplyTo}>`,
    references: input.references.map((id) => `<${id}>`),
    messageId: `<${input.messageId}>`,
    date: input.date,
    headers: {},
    newline: "\r\n",
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return (await composer.compile().build()).toString("utf8");
}

const name = fc.oneof(
  fc.constantFrom("Ana Ruiz", "Chloé Martin", "Jürgen Weiß", "O'Brien, Pat", "李 雷", ""),
  fc.string({ unit: "grapheme", maxLength: 40 }),
);
const id = fc.stringMatching(/^[a-z0-9.]{1,20}@[a-z]{1,10}\.example$/);
const line = fc.oneof(
  fc.constantFrom(
    "Thank you so much for thinking of me.",
    "Merci beaucoup pour l'invitation à dîner — c'est très gentil.",
    "Vielen Dank für die Einladung zum Grillen am Samstag!",
    "¡Muchas gracias por la invitación!",
    "From the team",
  ),
  fc.string({ unit: "grapheme", maxLength: 120 }),
);

describe("the reply fast path", () => {
  it("writes byte for byte what MailComposer writes", async () => {
    await fc.assert(
      fc.asyncProperty(
        name,
        name,
        fc.oneof(line, fc.string({ unit: "grapheme-ascii", maxLength: 200 })),
        fc.array(line, { minLength: 1, maxLength: 12 }),
        id,
        fc.array(id, { maxLength: 4 }),
        fc.date({ min: new Date("2000-01-01"), max: new Date("2090-01-01"), noInvalidDate: true }),
        async (fromName, toName, subject, lines, inReplyTo, earlier, date) => {
          const text = lines.join("\n");
          fc.pre(text.trim() !== "" && subject !== "");
          const input = {
            from: { name: fromName, address: "alex@morganadvisory.example" },
            to: { name: toName, address: "ana@client.example" },
            subject,
            text,
            inReplyTo,
            references: [...earlier, inReplyTo],
            messageId: "reply-1@morganadvisory.example",
            date,
          };
          expect(await buildMessage(input)).toBe(await viaMailComposer(input));
        },
      ),
      { numRuns: 300 },
    );
  });
});
