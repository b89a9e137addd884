import type { Letter, PhrasingReview } from "../../core/reply/index.ts";
import { PLACEHOLDERS } from "../../core/reply/index.ts";
import { LANGUAGES, type Language, REPLY_KINDS, type ReplyKind } from "../../core/vocabulary.ts";
import { FormToken, Layout, Notice } from "../components/layout.tsx";
import type { AuthState } from "../types.ts";

export const KIND_LABELS: Record<ReplyKind, { title: string; hint: string }> = {
  frequency: {
    title: "Frequent invitations",
    hint: "Declines one invitation too many from a client with a soft personal reason and keeps the door open (rule 4).",
  },
  home_visit: {
    title: "Home visits",
    hint: "Declines a visit to a client’s home warmly and suggests meeting out instead (rule 2).",
  },
  objectionable: {
    title: "Objectionable invitations",
    hint: "Ends invitations to strip clubs, poker nights and the like, gently but for good, and offers lunch instead (rule 4).",
  },
  romantic: {
    title: "Romantic invitations",
    hint: "Says no kindly and clearly, and keeps the relationship professional (when business turns romantic).",
  },
};

export const LANGUAGE_LABELS: Record<Language, string> = {
  en: "English",
  es: "Español",
  fr: "Français",
  de: "Deutsch",
};

export interface PhrasingSlot {
  text: string;
  errors: string[];
  review: PhrasingReview | null;
  preview: Letter | null;
}

function repliesUrl(kind: ReplyKind, language: Language): string {
  return `/replies?kind=${kind}&lang=${language}`;
}

function Warnings(props: { review: PhrasingReview }) {
  const { review } = props;
  const items: string[] = [];
  if (review.revealingWords.length > 0) {
    items.push(
      `It uses ${review.revealingWords.map((w) => `“${w}”`).join(", ")}, which can give away a rule, a count or the category.`,
    );
  }
  if (review.hasDigits) {
    items.push("It contains digits; a count or a date in a decline reads like a policy.");
  }
  if (items.length === 0) return null;
  return (
    <ul class="hint">
      {items.map((item) => (
        <li>{item}</li>
      ))}
    </ul>
  );
}

function Preview(props: { letter: Letter; index: number }) {
  const { letter } = props;
  return (
    <section aria-labelledby={`preview-${props.index}`}>
      <h3 id={`preview-${props.index}`}>Preview of phrasing {props.index + 1}</h3>
      <p class="meta">
        To {letter.to.name ? `${letter.to.name} <${letter.to.address}>` : letter.to.address} ·
        Subject: {letter.subject}
      </p>
      <pre class="letter">{letter.body}</pre>
    </section>
  );
}

export function RepliesPage(props: {
  auth: AuthState;
  kind: ReplyKind;
  language: Language;
  slots: readonly PhrasingSlot[];
  custom: boolean;
  notice: "saved" | "reset" | null;
  formError: string | null;
}) {
  const { auth, kind, language, slots } = props;
  return (
    <Layout title="Replies" current="/replies" auth={auth}>
      <h1>Replies</h1>
      <p class="lead">
        The paragraphs Decorum writes between the greeting and your signature. Decorum varies
        between them; make them sound like you.
      </p>
      <nav aria-label="Kind of reply">
        <ul class="tabs">
          {REPLY_KINDS.map((k) => (
            <li>
              <a href={repliesUrl(k, language)} aria-current={k === kind ? "page" : undefined}>
                {KIND_LABELS[k].title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <nav aria-label="Language">
        <ul class="tabs">
          {LANGUAGES.map((l) => (
            <li>
              <a
                href={repliesUrl(kind, l)}
                aria-current={l === language ? "page" : undefined}
                lang={l}
              >
                {LANGUAGE_LABELS[l]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <h2>
        {KIND_LABELS[kind].title}, {LANGUAGE_LABELS[language]}
      </h2>
      <p class="hint">{KIND_LABELS[kind].hint}</p>
      {props.notice === "saved" ? <Notice kind="ok">Your phrasings are saved.</Notice> : null}
      {props.notice === "reset" ? (
        <Notice kind="ok">Decorum uses its built-in phrasings here again.</Notice>
      ) : null}
      <p>
        {props.custom
          ? "You have written your own phrasings for this."
          : "These are Decorum’s built-in phrasings; edit them to use your own."}
      </p>
      {props.formError ? (
        <div class="error-summary" role="alert" tabindex={-1} autofocus>
          <h2>Nothing was saved</h2>
          <p>{props.formError}</p>
        </div>
      ) : null}
      <form method="post" action="/replies">
        <FormToken auth={auth} />
        <input type="hidden" name="kind" value={kind} />
        <input type="hidden" name="lang" value={language} />
        {slots.map((slot, index) => {
          const id = `phrasing-${index}`;
          const invalid = slot.errors.length > 0;
          return (
            <div class={invalid ? "field invalid" : "field"}>
              <label for={id}>
                Phrasing {index + 1}
                {slot.text === "" ? " (add another, or leave empty)" : ""}
              </label>
              {invalid ? (
                <div id={`${id}-error`}>
                  {slot.errors.map((error) => (
                    <p class="error">
                      <span class="visually-hidden">Error: </span>
                      {error}
                    </p>
                  ))}
                </div>
              ) : null}
              <textarea
                id={id}
                name="phrasing"
                rows={5}
                lang={language}
                aria-invalid={invalid ? "true" : undefined}
                aria-describedby={invalid ? `${id}-error` : undefined}
              >
                {slot.text}
              </textarea>
              {slot.review ? <Warnings review={slot.review} /> : null}
              {slot.preview ? <Preview letter={slot.preview} index={index} /> : null}
            </div>
          );
        })}
        <div class="actions">
          <button type="submit" name="intent" value="preview" class="secondary">
            Preview
          </button>
          <button type="submit" name="intent" value="save">
            Save phrasings
          </button>
          {props.custom ? (
            <button type="submit" name="intent" value="reset" class="secondary">
              Use the built-in phrasings
            </button>
          ) : null}
        </div>
      </form>
      <h2>Placeholders</h2>
      <p class="hint">Written in braces, they are replaced in each reply:</p>
      <dl class="facts">
        {Object.entries(PLACEHOLDERS).map(([name, meaning]) => (
          <>
            <dt>
              <code>{`{${name}}`}</code>
            </dt>
            <dd>{meaning}</dd>
          </>
        ))}
      </dl>
    </Layout>
  );
}
