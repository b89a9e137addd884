import type { Hono } from "hono";
import { type AppContext, formOf, textFields } from "../context.ts";
import { SettingsPage } from "../pages/settings.tsx";
import { settingsToForm, validateSettingsForm } from "../settings-form.ts";
import type { WebEnv } from "../types.ts";

export function settingsRoutes(app: Hono<WebEnv>, ctx: AppContext): void {
  app.get("/settings", (c) => {
    const auth = c.get("auth");
    return c.html(
      <SettingsPage
        auth={auth}
        fields={settingsToForm(auth.account.settings)}
        errors={{}}
        saved={c.req.query("saved") === "1"}
      />,
    );
  });

  app.post("/settings", async (c) => {
    const auth = c.get("auth");
    const fields = textFields(formOf(c));
    const result = validateSettingsForm(fields, auth.account.settings, auth.account.email);
    if (!result.ok) {
      return c.html(
        <SettingsPage auth={auth} fields={fields} errors={result.errors} saved={false} />,
        422,
      );
    }
    // One write of the whole, validated object: nothing is ever saved half-way.
    await ctx.deps.accounts.putSettings(auth.account.accountId, result.settings);
    return c.redirect("/settings?saved=1", 303);
  });
}
