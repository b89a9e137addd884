import type { Hono } from "hono";
import { type AppContext, field, formOf, logId } from "../context.ts";
import { DataPage, DeletePage, isDataNotice } from "../pages/data.tsx";
import { clearSessionCookie } from "../session.ts";
import type { WebEnv } from "../types.ts";

/** "Your data": the Google connection, the JSON export, and deleting everything. */
export function dataRoutes(app: Hono<WebEnv>, ctx: AppContext): void {
  const { deps, config, log } = ctx;

  /**
   * Stops the watch (which needs the token), then revokes the token at Google. Both are tried
   * whatever the other did; returns whether Google confirmed the revocation.
   */
  const letGo = async (accountId: string): Promise<boolean> => {
    try {
      await deps.connection.disconnect(accountId);
    } catch (error) {
      log({ event: "web.disconnect_failed", account: logId(accountId), error: String(error) });
    }
    const token = await deps.accounts.getRefreshToken(accountId);
    if (token === null) return true;
    try {
      await deps.oauth.revoke(token);
      return true;
    } catch (error) {
      log({ event: "web.revoke_failed", account: logId(accountId), error: String(error) });
      return false;
    }
  };

  app.get("/data", (c) => {
    const notice = c.req.query("m");
    return c.html(<DataPage auth={c.get("auth")} notice={isDataNotice(notice) ? notice : null} />);
  });

  app.get("/data/export", async (c) => {
    const auth = c.get("auth");
    const data = await deps.stores.exporter.exportAccount(auth.account.accountId);
    const day = deps.now().toISOString().slice(0, 10);
    c.header("Content-Disposition", `attachment; filename="decorum-export-${day}.json"`);
    return c.json(data);
  });

  app.post("/data/disconnect", async (c) => {
    const { accountId } = c.get("auth").account;
    const revoked = await letGo(accountId);
    await deps.accounts.setConnection(accountId, {
      state: "disconnected",
      reason: "you disconnected Google",
      forgetToken: true,
    });
    return c.redirect(revoked ? "/data?m=disconnected" : "/data?m=revoke-failed", 303);
  });

  app.get("/data/delete", (c) => c.html(<DeletePage auth={c.get("auth")} error={null} typed="" />));

  app.post("/data/delete", async (c) => {
    const auth = c.get("auth");
    const typed = field(formOf(c), "confirm").trim();
    if (typed.toLowerCase() !== auth.account.email.toLowerCase()) {
      return c.html(
        <DeletePage
          auth={auth}
          typed={typed}
          error={`Type ${auth.account.email} exactly to confirm; nothing was deleted.`}
        />,
        422,
      );
    }
    const { accountId } = auth.account;
    await letGo(accountId);
    // Sessions live in the account's partition, so this signs out every device too.
    const removed = await deps.accounts.deleteAccount(accountId);
    log({ event: "web.account_deleted", account: logId(accountId), items: removed });
    clearSessionCookie(c, config);
    return c.redirect("/signin?m=deleted", 303);
  });
}
