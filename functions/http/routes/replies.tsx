import type { Hono } from "hono";
import {
  builtInPhrasings,
  type Letter,
  phrasingsFor,
  ReplyError,
  renderPreview,
  reviewPhrasing,
} from "../../core/reply/index.ts";
import { Language, ReplyKind } from "../../core/vocabulary.ts";
import { Settings } from "../../schemas/settings.ts";
import { type AppContext, field, fieldValues, formOf } from "../context.ts";
import { type PhrasingSlot, RepliesPage } from "../pages/replies.tsx";
import type { WebEnv } from "../types.ts";

const MAX_PHRASINGS = 8;
const MAX_PHRASING_LENGTH = 2000;

/** The reply phrasings per kind and language, with server-rendered previews. */
export function repliesRoutes(app: Hono<WebEnv>, ctx: AppContext): void {
  const { deps } = ctx;

  const slotsFor = (
    texts: readonly string[],
    kind: ReplyKind,
    language: Language,
    settings: Settings,
    errors: Map<number, string[]> = new Map(),
  ): PhrasingSlot[] => {
    const now = deps.now();
    const slots = texts.map((text, index): PhrasingSlot => {
      let preview: Letter | null = null;
      if (text.trim() !== "") {
        try {
          preview = renderPreview({
            kind,
            language,
            settings,
            phrasing: text,
            variant: index,
            now,
          });
        } catch (error) {
          if (!(error instanceof ReplyError)) throw error;
        }
      }
      return {
        text,
        errors: errors.get(index) ?? [],
        review: text.trim() === "" ? null : reviewPhrasing(text, language),
        preview,
      };
    });
    // One empty box to add a phrasing, while there is room.
    if (slots.length < MAX_PHRASINGS && slots.every((slot) => slot.text.trim() !== "")) {
      slots.push({ text: "", errors: [], review: null, preview: null });
    }
    return slots;
  };

  app.get("/replies", (c) => {
    const auth = c.get("auth");
    const { settings } = auth.account;
    const kind = ReplyKind.catch("frequency").parse(c.req.query("kind"));
    const language = Language.catch("en").parse(c.req.query("lang"));
    const notice = c.req.query("m");
    return c.html(
      <RepliesPage
        auth={auth}
        kind={kind}
        language={language}
        slots={slotsFor(phrasingsFor(settings, kind, language), kind, language, settings)}
        custom={Boolean(settings.replies[kind]?.[language]?.length)}
        notice={notice === "saved" || notice === "reset" ? notice : null}
        formError={null}
      />,
    );
  });

  app.post("/replies", async (c) => {
    const auth = c.get("auth");
    const { settings, accountId } = auth.account;
    const form = formOf(c);
    const kind = ReplyKind.safeParse(field(form, "kind"));
    const language = Language.safeParse(field(form, "lang"));
    if (!kind.success || !language.success) return c.text("Unknown kind of reply or language", 400);
    const intent = field(form, "intent");
    const texts = fieldValues(form, "phrasing")
      .map((text) => text.replace(/\r\n?/g, "\n"))
      .slice(0, MAX_PHRASINGS + 1);
    const custom = Boolean(settings.replies[kind.data]?.[language.data]?.length);
    const page = (slots: PhrasingSlot[], formError: string | null, status: 200 | 422) =>
      c.html(
        <RepliesPage
          auth={auth}
          kind={kind.data}
          language={language.data}
          slots={slots}
          custom={custom}
          notice={null}
          formError={formError}
        />,
        status,
      );

    if (intent === "reset") {
      await deps.accounts.putSettings(
        accountId,
        withPhrasings(settings, kind.data, language.data, []),
      );
      return c.redirect(`/replies?kind=${kind.data}&lang=${language.data}&m=reset`, 303);
    }
    if (intent !== "save") {
      return page(slotsFor(texts, kind.data, language.data, settings), null, 200);
    }

    const errors = new Map<number, string[]>();
    texts.forEach((text, index) => {
      const problems: string[] = [];
      if (text.length > MAX_PHRASING_LENGTH) {
        problems.push(`At most ${MAX_PHRASING_LENGTH} characters (this has ${text.length}).`);
      }
      const unknown = reviewPhrasing(text, language.data).unknownPlaceholders;
      if (unknown.length > 0) {
        problems.push(
          `Decorum does not know ${unknown.join(", ")}; the reply would show it as written. Use one of the placeholders listed below.`,
        );
      }
      if (problems.length > 0) errors.set(index, problems);
    });
    const kept = texts.map((text) => text.trim()).filter((text) => text !== "");
    let formError: string | null = null;
    if (kept.length === 0) formError = "Write at least one phrasing, or use the built-in ones.";
    if (kept.length > MAX_PHRASINGS) formError = `At most ${MAX_PHRASINGS} phrasings.`;
    if (errors.size > 0) formError = "Some phrasings need changes; see the messages beside them.";
    if (formError) {
      return page(slotsFor(texts, kind.data, language.data, settings, errors), formError, 422);
    }
    const builtIn = builtInPhrasings[kind.data][language.data];
    const same = kept.length === builtIn.length && kept.every((text, i) => text === builtIn[i]);
    await deps.accounts.putSettings(
      accountId,
      withPhrasings(settings, kind.data, language.data, same ? [] : kept),
    );
    return c.redirect(`/replies?kind=${kind.data}&lang=${language.data}&m=saved`, 303);
  });
}

/** Settings with one kind and language's phrasings replaced; an empty list means the built-in. */
function withPhrasings(
  settings: Settings,
  kind: ReplyKind,
  language: Language,
  phrasings: string[],
): Settings {
  const forKind = { ...settings.replies[kind] };
  if (phrasings.length > 0) forKind[language] = phrasings;
  else delete forKind[language];
  const replies = { ...settings.replies };
  if (Object.keys(forKind).length > 0) replies[kind] = forKind;
  else delete replies[kind];
  return Settings.parse({ ...settings, replies });
}
