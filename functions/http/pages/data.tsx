import { FormToken, Layout, Notice } from "../components/layout.tsx";
import type { AuthState } from "../types.ts";

export const DATA_NOTICES = {
  disconnected: {
    kind: "ok",
    text: "Google is disconnected: Decorum’s access is revoked and it stopped watching your mail and calendar.",
  },
  "revoke-failed": {
    kind: "warn",
    text: "Decorum forgot its access and stopped watching, but Google did not confirm the revocation. To be sure, remove Decorum in your Google Account’s “Third-party apps & services”.",
  },
} as const;
export type DataNotice = keyof typeof DATA_NOTICES;

export function isDataNotice(value: string | undefined): value is DataNotice {
  return value !== undefined && Object.hasOwn(DATA_NOTICES, value);
}

function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toUTCString();
}

export function DataPage(props: { auth: AuthState; notice: DataNotice | null }) {
  const { auth } = props;
  const { account } = auth;
  const notice = props.notice ? DATA_NOTICES[props.notice] : null;
  const connected = account.connection.state === "connected";
  return (
    <Layout title="Your data" current="/data" auth={auth}>
      <h1>Your data</h1>
      {notice ? <Notice kind={notice.kind}>{notice.text}</Notice> : null}
      <h2>Google connection</h2>
      <dl class="facts">
        <dt>Account</dt>
        <dd>{account.email}</dd>
        <dt>State</dt>
        <dd>
          {account.connection.state === "connected"
            ? `Connected since ${formatDate(account.connection.at)}`
            : `Disconnected: ${account.connection.reason}`}
        </dd>
      </dl>
      {connected ? (
        <form method="post" action="/data/disconnect">
          <FormToken auth={auth} />
          <p class="hint">
            Revokes Decorum’s access to your Google account and stops it watching your mail and
            calendar. Your settings and history stay; you can connect again.
          </p>
          <button type="submit" class="secondary">
            Disconnect Google
          </button>
        </form>
      ) : (
        <p>
          <a class="button" href="/auth/google">
            Connect Google again
          </a>
        </p>
      )}
      <h2>Download everything</h2>
      <p>
        A JSON file of everything Decorum holds for you: your settings, connection state, every
        invitation it recorded with its decision and reasons, and when it first heard from each
        client. Your Google token is never included.
      </p>
      <p>
        <a class="button secondary" href="/data/export" download>
          Download my data (JSON)
        </a>
      </p>
      <h2>Delete everything</h2>
      <p>
        Deletes your account and everything above from Decorum, revokes its access to Google and
        signs you out. Drafts already in Gmail stay there.
      </p>
      <p>
        <a class="button danger" href="/data/delete">
          Delete my data…
        </a>
      </p>
    </Layout>
  );
}

export function DeletePage(props: { auth: AuthState; error: string | null; typed: string }) {
  const { auth } = props;
  return (
    <Layout title="Delete your data" current="/data" auth={auth}>
      <h1>Delete everything?</h1>
      <p>
        This removes your settings, every invitation record and your connection from Decorum,
        revokes its access to your Google account and signs you out. It cannot be undone.
      </p>
      <form method="post" action="/data/delete" novalidate>
        <FormToken auth={auth} />
        <div class={props.error ? "field invalid" : "field"}>
          <label for="confirm">To confirm, type your address: {auth.account.email}</label>
          {props.error ? (
            <p class="error" id="confirm-error" role="alert">
              <span class="visually-hidden">Error: </span>
              {props.error}
            </p>
          ) : null}
          <input
            type="email"
            id="confirm"
            name="confirm"
            value={props.typed}
            autocomplete="off"
            aria-invalid={props.error ? "true" : undefined}
            aria-describedby={props.error ? "confirm-error" : undefined}
            autofocus={Boolean(props.error)}
          />
        </div>
        <div class="actions">
          <button type="submit" class="danger">
            Delete everything
          </button>
          <a class="button secondary" href="/data">
            Keep my data
          </a>
        </div>
      </form>
    </Layout>
  );
}
