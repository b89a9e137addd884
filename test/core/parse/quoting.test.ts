import { describe, expect, it } from "vitest";
import { splitQuoted } from "../../../functions/core/parse/quoting.ts";

const lines = (...all: string[]) => all.join("\n");

describe("splitQuoted", () => {
  it.each([
    {
      name: "plain text without history",
      text: lines("Hi Pat,", "", "Golf on Saturday?", "", "Dave"),
      newText: lines("Hi Pat,", "", "Golf on Saturday?", "", "Dave"),
      quotedText: "",
    },
    {
      name: "a top-posted reply with a one-line attribution",
      text: lines(
        "Yes!",
        "",
        "On Mon, Jun 3, 2024 at 9:00 AM Ana <ana@x.example> wrote:",
        "> Lunch?",
      ),
      newText: "Yes!",
      quotedText: lines("On Mon, Jun 3, 2024 at 9:00 AM Ana <ana@x.example> wrote:", "> Lunch?"),
    },
    {
      name: "an attribution wrapped over three lines",
      text: lines(
        "Yes!",
        "On Mon, Jun 3, 2024 at 9:00 AM",
        "Ana Ruiz <ana@x.example>",
        "wrote:",
        "> Lunch?",
      ),
      newText: "Yes!",
      quotedText: lines(
        "On Mon, Jun 3, 2024 at 9:00 AM",
        "Ana Ruiz <ana@x.example>",
        "wrote:",
        "> Lunch?",
      ),
    },
    {
      name: "a Spanish attribution",
      text: lines(
        "Sí, claro.",
        "El lun, 3 jun 2024 a las 9:00, Ana (<ana@x.example>) escribió:",
        "> ¿Comemos?",
      ),
      newText: "Sí, claro.",
      quotedText: lines(
        "El lun, 3 jun 2024 a las 9:00, Ana (<ana@x.example>) escribió:",
        "> ¿Comemos?",
      ),
    },
    {
      name: "a French attribution with a space before the colon",
      text: lines(
        "Volontiers.",
        "Le lun. 3 juin 2024 à 09:00, Ana <ana@x.example> a écrit :",
        "> Déjeuner ?",
      ),
      newText: "Volontiers.",
      quotedText: lines(
        "Le lun. 3 juin 2024 à 09:00, Ana <ana@x.example> a écrit :",
        "> Déjeuner ?",
      ),
    },
    {
      name: "a German attribution",
      text: lines(
        "Gerne.",
        "Am 03.06.2024 um 09:00 schrieb Ana <ana@x.example>:",
        "> Mittagessen?",
      ),
      newText: "Gerne.",
      quotedText: lines("Am 03.06.2024 um 09:00 schrieb Ana <ana@x.example>:", "> Mittagessen?"),
    },
    {
      name: "a German Thunderbird attribution",
      text: lines(
        "Gerne.",
        "Ana Ruiz <ana@x.example> schrieb am 03.06.2024 um 09:00:",
        "> Mittagessen?",
      ),
      newText: "Gerne.",
      quotedText: lines(
        "Ana Ruiz <ana@x.example> schrieb am 03.06.2024 um 09:00:",
        "> Mittagessen?",
      ),
    },
    {
      name: "a bottom-posted reply",
      text: lines(
        "On Mon, Jun 3, 2024 Ana <ana@x.example> wrote:",
        "> Lunch on Friday?",
        "",
        "Friday works.",
      ),
      newText: "Friday works.",
      quotedText: lines("On Mon, Jun 3, 2024 Ana <ana@x.example> wrote:", "> Lunch on Friday?"),
    },
    {
      name: "an inline reply",
      text: lines("> Lunch on Friday?", "Yes.", "> At noon?", "Better at one."),
      newText: lines("Yes.", "Better at one."),
      quotedText: lines("> Lunch on Friday?", "> At noon?"),
    },
    {
      name: "history that is not quoted with '>'",
      text: lines(
        "Fine by me.",
        "",
        "On Mon, Jun 3, 2024 Ana <ana@x.example> wrote:",
        "",
        "Lunch on Friday?",
      ),
      newText: "Fine by me.",
      quotedText: lines("On Mon, Jun 3, 2024 Ana <ana@x.example> wrote:", "", "Lunch on Friday?"),
    },
    {
      name: "Outlook's original-message block",
      text: lines("Agreed.", "-----Original Message-----", "From: Pat", "Sent: Monday", "Old text"),
      newText: "Agreed.",
      quotedText: lines("-----Original Message-----", "From: Pat", "Sent: Monday", "Old text"),
    },
    {
      name: "Outlook's German header block",
      text: lines(
        "Einverstanden.",
        "",
        "Von: Pat <p@firm.example>",
        "Gesendet: Montag, 3. Juni 2024 09:00",
        "An: Björn",
        "Betreff: Termin",
        "",
        "Alter Text",
      ),
      newText: "Einverstanden.",
      quotedText: lines(
        "Von: Pat <p@firm.example>",
        "Gesendet: Montag, 3. Juni 2024 09:00",
        "An: Björn",
        "Betreff: Termin",
        "",
        "Alter Text",
      ),
    },
    {
      name: "Outlook's French header block with no-break spaces",
      text: lines(
        "D'accord.",
        "De\u00a0: Pat <p@firm.example>",
        "Envoyé\u00a0: lundi 3 juin 2024 09:00",
        "Objet\u00a0: RDV",
        "Ancien texte",
      ),
      newText: "D'accord.",
      quotedText: lines(
        "De\u00a0: Pat <p@firm.example>",
        "Envoyé\u00a0: lundi 3 juin 2024 09:00",
        "Objet\u00a0: RDV",
        "Ancien texte",
      ),
    },
    {
      name: "a header block in Gmail's bold rendering",
      text: lines("OK.", "*From:* Pat <p@firm.example>", "*Sent:* Monday", "Old text"),
      newText: "OK.",
      quotedText: lines("*From:* Pat <p@firm.example>", "*Sent:* Monday", "Old text"),
    },
    {
      name: "Outlook's underscore rule before the header block",
      text: lines(
        "Gracias.",
        "________________________________",
        "De: Pat",
        "Enviado: lunes",
        "Texto",
      ),
      newText: "Gracias.",
      quotedText: lines("________________________________", "De: Pat", "Enviado: lunes", "Texto"),
    },
    {
      name: "a signature before the history",
      text: lines(
        "See you then.",
        "-- ",
        "Ana Ruiz",
        "Client Corp",
        "",
        "On Mon, Jun 3, 2024 Pat <p@firm.example> wrote:",
        "> Friday?",
      ),
      newText: "See you then.",
      quotedText: lines("On Mon, Jun 3, 2024 Pat <p@firm.example> wrote:", "> Friday?"),
    },
    {
      name: "a signature delimiter stripped of its space",
      text: lines("See you then.", "--", "Ana"),
      newText: "See you then.",
      quotedText: "",
    },
    {
      name: "a colon line without a date or address",
      text: lines("Here is what the client wrote:", "Dinner on Friday at eight."),
      newText: lines("Here is what the client wrote:", "Dinner on Friday at eight."),
      quotedText: "",
    },
    {
      name: "a From: line that is not followed by a Sent: line",
      text: lines("From: the whole team, thanks!", "", "Pat"),
      newText: lines("From: the whole team, thanks!", "", "Pat"),
      quotedText: "",
    },
  ])("splits $name", ({ text, newText, quotedText }) => {
    const split = splitQuoted(text);
    expect(split.newText).toBe(newText);
    expect(split.quotedText).toBe(quotedText);
    expect(split.forwardMarker).toBe(false);
  });

  it.each([
    "---------- Forwarded message ---------",
    "---------- Mensaje reenviado ---------",
    "---------- Message transféré ---------",
    "---------- Weitergeleitete Nachricht ---------",
    "-------- Forwarded Message --------",
    "Begin forwarded message:",
    "Début du message réexpédié :",
    "Inicio del mensaje reenviado:",
    "Anfang der weitergeleiteten Nachricht:",
  ])("recognises the forward marker %j", (marker) => {
    const split = splitQuoted(lines("FYI", "", marker, "From: Dave <d@x.example>", "", "Poker?"));
    expect(split.forwardMarker).toBe(true);
    expect(split.newText).toBe("FYI");
    expect(split.quotedText).toBe(lines("From: Dave <d@x.example>", "", "Poker?"));
  });

  it("does not take a forward marker inside quoted history as a forward", () => {
    const split = splitQuoted(
      lines("Thanks", "> ---------- Forwarded message ---------", "> Poker?"),
    );
    expect(split.forwardMarker).toBe(false);
    expect(split.newText).toBe("Thanks");
  });

  it("splits long and adversarial lines in linear time", () => {
    const long = 200_000;
    const body = [
      `${"word ".repeat(200)}\n`.repeat(5_000),
      `${"-".repeat(long)}x`,
      `${"_".repeat(long)}x`,
      `On ${" ".repeat(long)}x`,
      `From:${" ".repeat(long)}`,
      `${"> ".repeat(long)}`,
      `On Monday ${"a ".repeat(long)}wrote`,
    ].join("\n");
    const started = performance.now();
    const split = splitQuoted(body);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(split.quotedText.startsWith("> > >")).toBe(true);
  });
});
