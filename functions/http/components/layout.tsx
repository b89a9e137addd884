import type { Child, PropsWithChildren } from "hono/jsx";
import { raw } from "hono/utils/html";
import type { AuthState } from "../types.ts";

const NAV = [
  { href: "/", label: "Activity" },
  { href: "/settings", label: "Settings" },
  { href: "/replies", label: "Replies" },
  { href: "/try", label: "Try it" },
  { href: "/summary", label: "Summary" },
  { href: "/data", label: "Your data" },
] as const;

export interface LayoutProps {
  title: string;
  /** The nav entry to mark as the current page. */
  current?: string;
  auth?: AuthState | null;
}

/** Every page's frame: one stylesheet, no script, a skip link, and the nav when signed in. */
export function Layout(props: PropsWithChildren<LayoutProps>) {
  const { title, current, auth, children } = props;
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex" />
          <title>{`${title} — Decorum`}</title>
          <link rel="stylesheet" href="/assets/app.css" />
        </head>
        <body>
          <a class="skip" href="#main">
            Skip to content
          </a>
          <header class="site">
            <div class="bar">
              <a class="brand" href="/">
                Decorum
              </a>
              {auth ? (
                <>
                  <nav aria-label="Main">
                    <ul>
                      {NAV.map((item) => (
                        <li>
                          <a
                            href={item.href}
                            aria-current={item.href === current ? "page" : undefined}
                          >
                            {item.label}
                          </a>
                        </li>
                      ))}
                    </ul>
                  </nav>
                  <form method="post" action="/signout">
                    <input type="hidden" name="_csrf" value={auth.formToken} />
                    <button class="signout" type="submit">
                      Sign out
                    </button>
                  </form>
                </>
              ) : null}
            </div>
          </header>
          <main id="main" tabindex={-1}>
            {children}
          </main>
        </body>
      </html>
    </>
  );
}

/** The hidden form-token field every state-changing form carries. */
export function FormToken(props: { auth: AuthState }) {
  return <input type="hidden" name="_csrf" value={props.auth.formToken} />;
}

export type NoticeKind = "info" | "ok" | "warn" | "error";

export function Notice(props: PropsWithChildren<{ kind?: NoticeKind; role?: "status" | "alert" }>) {
  const kind = props.kind ?? "info";
  return (
    <div class={`notice ${kind === "info" ? "" : kind}`.trim()} role={props.role ?? "status"}>
      {props.children}
    </div>
  );
}

export type PageBody = Child;
