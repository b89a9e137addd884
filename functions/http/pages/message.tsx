import type { Child } from "hono/jsx";
import { Layout, Notice } from "../components/layout.tsx";
import type { AuthState } from "../types.ts";

/** Sign-in page notices, by the fixed keys the app redirects with (never text from the URL). */
export const SIGNIN_NOTICES = {
  "signed-out": { kind: "ok", text: "You are signed out." },
  deleted: {
    kind: "ok",
    text: "Everything Decorum held for your account has been deleted, and its access to your Google account revoked.",
  },
  denied: {
    kind: "warn",
    text: "Google sign-in was cancelled, so Decorum was not connected.",
  },
  expired: { kind: "info", text: "Your session ended. Please sign in again." },
} as const;
export type SigninNotice = keyof typeof SIGNIN_NOTICES;

export function isSigninNotice(value: string | undefined): value is SigninNotice {
  return value !== undefined && Object.hasOwn(SIGNIN_NOTICES, value);
}

export function SignInPage(props: { notice: SigninNotice | null }) {
  const notice = props.notice ? SIGNIN_NOTICES[props.notice] : null;
  return (
    <Layout title="Sign in">
      <div class="signin">
        <h1>Decorum</h1>
        <p>
          Decorum reads your clients’ invitations, checks them against your etiquette rules, and
          drafts polite replies in Gmail for you to send. It never sends mail for you, apart from
          one weekly summary to yourself.
        </p>
        {notice ? <Notice kind={notice.kind}>{notice.text}</Notice> : null}
        <p>
          <a class="button" href="/auth/google">
            Sign in with Google
          </a>
        </p>
        <p class="hint">
          Google will ask you to let Decorum read your mail and calendar invitations and write
          drafts. Only addresses this deployment allows can sign in.
        </p>
      </div>
    </Layout>
  );
}

/** A page that explains one outcome: an error, a refusal, a limit. */
export function MessagePage(props: {
  title: string;
  auth?: AuthState | null;
  kind?: "info" | "warn" | "error";
  children: Child;
  action?: { href: string; label: string } | null;
}) {
  return (
    <Layout title={props.title} auth={props.auth ?? null}>
      <h1>{props.title}</h1>
      <Notice kind={props.kind ?? "error"} role="alert">
        {props.children}
      </Notice>
      {props.action ? (
        <p>
          <a class="button" href={props.action.href}>
            {props.action.label}
          </a>
        </p>
      ) : null}
    </Layout>
  );
}
