import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { csrf } from "hono/csrf";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import { StoreError } from "../adapters/dynamo/errors.ts";
import { isAllowed } from "./allow-list.ts";
import { authenticate } from "./authenticate.ts";
import { resolveConfig } from "./config.ts";
import type { AppContext } from "./context.ts";
import { MessagePage } from "./pages/message.tsx";
import { activityRoutes } from "./routes/activity.tsx";
import { authRoutes } from "./routes/auth.tsx";
import { dataRoutes } from "./routes/data.tsx";
import { repliesRoutes } from "./routes/replies.tsx";
import { settingsRoutes } from "./routes/settings.tsx";
import { summaryRoutes } from "./routes/summary.tsx";
import { tryRoutes } from "./routes/try.tsx";
import { clearSessionCookie, formTokenMatches } from "./session.ts";
import { APP_CSS } from "./styles.ts";
import type { AppDeps, AuthState, FormBody, WebEnv } from "./types.ts";

export type { WebConfig } from "./config.ts";
export { createWebStores } from "./stores.ts";
export type {
  AccountsPort,
  ActivityLedger,
  AppDeps,
  ConnectionPort,
  WebStores,
} from "./types.ts";

/** Paths that work without a session. Everything else needs one: new routes are private. */
const PUBLIC_PATHS: ReadonlySet<string> = new Set([
  "/signin",
  "/auth/google",
  "/auth/google/callback",
  "/assets/app.css",
]);

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const FORM_LIMIT_BYTES = 256 * 1024;
/** Try it takes an uploaded .eml, attachments and all. */
export const UPLOAD_LIMIT_BYTES = 5 * 1024 * 1024;

/**
 * The settings web app: Google sign-in, settings, replies, activity, try-it, the summary
 * preview and "your data". Server-rendered with hono/jsx; the only script-free CSP it needs is
 * `style-src 'self'` for /assets/app.css.
 */
export function createApp(deps: AppDeps): Hono<WebEnv> {
  const config = resolveConfig(deps.config);
  const log = deps.log ?? ((event) => console.error(JSON.stringify(event)));
  const ctx: AppContext = { deps, config, log };
  const app = new Hono<WebEnv>();

  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        formAction: ["'self'"],
        frameSrc: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
      xFrameOptions: "DENY",
      // Same-origin form posts then carry a real Origin header for the CSRF check.
      referrerPolicy: "same-origin",
      permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [] },
      // A route that needs other headers (the framed summary preview) sets its own.
      overwrite: false,
    }),
  );

  app.use(async (c, next) => {
    await next();
    if (!c.res.headers.has("Cache-Control")) c.header("Cache-Control", "no-store");
  });

  const small = bodyLimit({ maxSize: FORM_LIMIT_BYTES, onError: (c) => tooLarge(c, "256 KB") });
  const large = bodyLimit({ maxSize: UPLOAD_LIMIT_BYTES, onError: (c) => tooLarge(c, "5 MB") });
  app.use((c, next) => (c.req.path === "/try" ? large(c, next) : small(c, next)));

  // The configured public origin, not c.req.url's: behind API Gateway the request's host is the
  // Lambda's own domain (pitfall 6). Forms from anywhere else are refused.
  app.use(csrf({ origin: config.origin }));

  app.get("/assets/app.css", (c) => {
    c.header("Content-Type", "text/css; charset=utf-8");
    c.header("Cache-Control", "public, max-age=3600");
    return c.body(APP_CSS);
  });

  app.use(async (c, next) => {
    if (PUBLIC_PATHS.has(c.req.path)) return next();
    const auth = await authenticate(ctx, c);
    if (!auth) {
      clearSessionCookie(c, config);
      if (SAFE_METHODS.has(c.req.method)) return c.redirect("/signin", 302);
      return c.html(
        <MessagePage title="Signed out" action={{ href: "/signin", label: "Sign in" }}>
          Your session has ended. Please sign in again.
        </MessagePage>,
        401,
      );
    }
    if (!isAllowed(config.allowList, auth.account.email)) {
      await deps.stores.sessions.delete(auth.account.accountId, auth.sessionId);
      clearSessionCookie(c, config);
      return c.html(
        <MessagePage title="Access withdrawn">
          This Decorum no longer admits your address. Ask whoever runs it.
        </MessagePage>,
        403,
      );
    }
    c.set("auth", auth);
    if (SAFE_METHODS.has(c.req.method)) return next();

    // Every state-changing request is a form post carrying the session's form token, on top of
    // the origin check above (which lets non-form content types through).
    if (!FORM_TYPES.test(c.req.header("content-type") ?? "")) {
      return c.text("Send a form", 415);
    }
    const form = normaliseForm(await c.req.parseBody({ all: true }));
    if (!formTokenMatches(auth.formToken, form._csrf?.[0])) {
      return c.html(
        <MessagePage
          title="Form expired"
          auth={auth}
          action={{ href: c.req.path, label: "Reload" }}
        >
          This form is out of date or did not come from this site. Reload the page and try again.
        </MessagePage>,
        403,
      );
    }
    c.set("form", form);
    return next();
  });

  authRoutes(app, ctx);
  activityRoutes(app, ctx);
  settingsRoutes(app, ctx);
  repliesRoutes(app, ctx);
  tryRoutes(app, ctx);
  summaryRoutes(app, ctx);
  dataRoutes(app, ctx);

  app.notFound((c) => {
    const auth: AuthState | undefined = c.get("auth");
    return c.html(
      <MessagePage title="Not found" auth={auth} kind="warn" action={{ href: "/", label: "Home" }}>
        There is no such page.
      </MessagePage>,
      404,
    );
  });

  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    const auth: AuthState | undefined = c.get("auth");
    if (error instanceof StoreError && error.kind === "not_found") {
      return c.html(
        <MessagePage title="Not found" auth={auth} kind="warn">
          That no longer exists.
        </MessagePage>,
        404,
      );
    }
    log({
      event: "web.error",
      path: c.req.path,
      name: error.name,
      message: error.message,
      kind: error instanceof StoreError ? error.kind : undefined,
    });
    const retryable = error instanceof StoreError && error.retryable;
    return c.html(
      <MessagePage title="Something went wrong" auth={auth}>
        {retryable
          ? "Decorum is busy. Nothing was changed; please try again in a moment."
          : "Decorum could not complete this. Nothing was changed."}
      </MessagePage>,
      retryable ? 503 : 500,
    );
  });

  return app;
}

function normaliseForm(body: Record<string, string | File | (string | File)[]>): FormBody {
  const form: FormBody = {};
  for (const [name, value] of Object.entries(body)) {
    // hono names repeated fields "name[]" only when asked; plain names arrive as arrays with all.
    form[name] = Array.isArray(value) ? value : [value];
  }
  return form;
}

function tooLarge(
  c: Parameters<Parameters<typeof bodyLimit>[0]["onError"] & {}>[0],
  limit: string,
) {
  return c.html(
    <MessagePage title="Too large" kind="warn">
      {`That is more than Decorum accepts here (${limit}).`}
    </MessagePage>,
    413,
  );
}
