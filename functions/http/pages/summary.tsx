import { Layout, Notice } from "../components/layout.tsx";
import type { AuthState } from "../types.ts";

export function SummaryPage(props: {
  auth: AuthState;
  week: string;
  badWeek: boolean;
  subject: string;
  text: string;
}) {
  const { auth, week } = props;
  const frame = week ? `/summary/frame?week=${encodeURIComponent(week)}` : "/summary/frame";
  return (
    <Layout title="Summary" current="/summary" auth={auth}>
      <h1>Weekly summary</h1>
      <p class="lead">
        The email Decorum sends you each week, as it would read now. Nothing is sent from this page.
      </p>
      {props.badWeek ? (
        <Notice kind="warn">
          That is not a week like 2025-W13, so this shows the last seven days.
        </Notice>
      ) : null}
      <form class="filters" method="get" action="/summary">
        <div class="field">
          <label for="week">Week</label>
          <input
            type="text"
            id="week"
            name="week"
            value={week}
            placeholder="2025-W13"
            aria-describedby="week-hint"
            autocomplete="off"
          />
          <p class="hint" id="week-hint">
            An ISO week; empty shows the seven days before today.
          </p>
        </div>
        <button type="submit">Show</button>
      </form>
      <p>
        <strong>Subject:</strong> {props.subject}
      </p>
      <iframe
        class="summary"
        src={frame}
        title="Preview of the summary email"
        sandbox=""
        loading="lazy"
      />
      <details>
        <summary>Plain-text version</summary>
        <pre class="letter">{props.text}</pre>
      </details>
    </Layout>
  );
}
