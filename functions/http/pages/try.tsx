import { ACTION_LABELS, CATEGORY_LABELS, displayText } from "../../core/summary/index.ts";
import type { TriageResult } from "../../core/triage.ts";
import { ErrorSummary, TextArea, TextField } from "../components/fields.tsx";
import { FormToken, Layout, Notice } from "../components/layout.tsx";
import type { FieldErrors, FormFields } from "../settings-form.ts";
import type { AuthState } from "../types.ts";

export const TRY_LABELS: Record<string, string> = {
  raw: "The email",
  file: "Or upload a file",
  from: "Sender",
  subject: "Subject",
};

const LANGUAGE_NAMES = { en: "English", es: "Spanish", fr: "French", de: "German" } as const;

export function TryPage(props: {
  auth: AuthState;
  fields: FormFields;
  errors: FieldErrors;
  result: TriageResult | null;
  /** True when the pasted text had no headers and the sender and subject fields were used. */
  bodyOnly: boolean;
}) {
  const { dryRun, paused } = props.auth.account.settings;
  const { auth, fields, errors, result } = props;
  const common = { fields, errors };
  return (
    <Layout title="Try it" current="/try" auth={auth}>
      <h1>Try it</h1>
      <p class="lead">
        Paste an email or upload an .eml or .ics file to see what Decorum would decide and draft,
        with your current settings. Nothing is stored and nothing is sent.
      </p>
      <ErrorSummary errors={errors} labels={TRY_LABELS} />
      <form method="post" action="/try" enctype="multipart/form-data">
        <FormToken auth={auth} />
        <TextArea
          {...common}
          name="raw"
          label="The email"
          tall
          rows={10}
          hint="The whole message as Gmail’s “Show original” gives it, or just its text."
        />
        <div class={errors.file ? "field invalid" : "field"}>
          <label for="file">Or upload a file</label>
          <p class="hint" id="file-hint">
            An .eml message or an .ics calendar invitation, up to 5 MB.
          </p>
          {errors.file ? (
            <p class="error" id="file-error">
              {errors.file.join("; ")}
            </p>
          ) : null}
          <input
            type="file"
            id="file"
            name="file"
            accept=".eml,.ics,message/rfc822,text/calendar"
            aria-describedby={errors.file ? "file-hint file-error" : "file-hint"}
          />
        </div>
        <details open={Boolean(errors.from || errors.subject)}>
          <summary>Pasting just the text? Say who sent it</summary>
          <TextField
            {...common}
            name="from"
            type="email"
            label="Sender"
            hint="Used only when the pasted text has no headers; decides which client it is from."
          />
          <TextField {...common} name="subject" label="Subject" />
        </details>
        <div class="actions">
          <button type="submit">See what Decorum would do</button>
        </div>
      </form>
      {result ? (
        <TryResult result={result} bodyOnly={props.bodyOnly} quiet={paused || dryRun} />
      ) : null}
    </Layout>
  );
}

function TryResult(props: { result: TriageResult; bodyOnly: boolean; quiet: boolean }) {
  const { result } = props;
  return (
    <section aria-labelledby="result-title">
      <h2 id="result-title" tabindex={-1} autofocus>
        What Decorum would do
      </h2>
      {props.bodyOnly ? (
        <Notice>The pasted text had no headers, so the sender and subject above were used.</Notice>
      ) : null}
      <dl class="facts">
        <dt>Subject</dt>
        <dd>{displayText(result.subject, 200) || "(no subject)"}</dd>
        <dt>From</dt>
        <dd>{result.from ? displayText(result.from, 120) : "unknown"}</dd>
        <dt>Client</dt>
        <dd>{result.client ? displayText(result.client, 120) : "not a client"}</dd>
        <dt>Category</dt>
        <dd>{CATEGORY_LABELS[result.category]}</dd>
        <dt>Action</dt>
        <dd>
          <span class={`tag ${result.action}`}>{ACTION_LABELS[result.action]}</span>
        </dd>
        <dt>Confidence</dt>
        <dd>{`${Math.round(result.confidence * 100)}%`}</dd>
        <dt>Language</dt>
        <dd>{LANGUAGE_NAMES[result.language]}</dd>
      </dl>
      <h3>Why</h3>
      {result.reasons.length > 0 ? (
        <ul class="reasons">
          {result.reasons.map((reason) => (
            <li>{displayText(reason.explanation, 300)}</li>
          ))}
        </ul>
      ) : (
        <p>No rule fired: this reads as ordinary mail.</p>
      )}
      <h3>The draft</h3>
      {result.draft ? (
        <>
          {props.quiet ? (
            <Notice>
              Decorum is paused or in dry run, so for now it would not put this draft in Gmail.
            </Notice>
          ) : null}
          <p class="meta">
            To {displayText(result.draft.to, 120)} · Subject:{" "}
            {displayText(result.draft.subject, 200)}
          </p>
          <pre class="letter">{result.draft.body}</pre>
        </>
      ) : (
        <p>Decorum would not draft a reply to this.</p>
      )}
      <p class="hint">
        Try it starts from an empty history, so it never counts earlier invitations from this client
        (rule 4) and treats the relationship as new (rule 2).
      </p>
    </section>
  );
}
