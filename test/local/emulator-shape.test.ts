import { describe, expect, it } from "vitest";
import { type StartDemoEmulator, startDemoEmulator } from "../../functions/local/demo-emulator.ts";
import { startGoogleEmulator } from "../emulator/index.ts";

describe("the demo's view of the Google emulator", () => {
  it("is a shape the real emulator has (checked by tsc)", () => {
    const start: StartDemoEmulator = startGoogleEmulator;
    expect(typeof start).toBe("function");
  });

  it("loads the emulator by path and issues the demo owner's tokens", async () => {
    const emulator = await startDemoEmulator({
      users: [
        {
          email: "alex@morganadvisory.example",
          name: "Alex Morgan",
          mailboxDir: new URL("../fixtures/demo/mailbox", import.meta.url).pathname,
          calendarDir: new URL("../fixtures/demo/calendar", import.meta.url).pathname,
          timeZone: "America/New_York",
        },
      ],
      defaultUser: "alex@morganadvisory.example",
    });
    try {
      expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(emulator.endpoints.tokenUrl).toBe(`${emulator.url}/token`);
      const tokens = emulator.issueTokens("alex@morganadvisory.example");
      expect(tokens.refresh_token.length).toBeGreaterThan(10);
      expect(tokens.id_token.split(".")).toHaveLength(3);
      const profile = await fetch(`${emulator.url}/gmail/v1/users/me/profile`, {
        headers: {
          authorization: `Bearer ${await accessToken(emulator.endpoints.tokenUrl, tokens.refresh_token, emulator)}`,
        },
      });
      expect(await profile.json()).toMatchObject({
        emailAddress: "alex@morganadvisory.example",
        messagesTotal: 53,
      });
    } finally {
      await emulator.close();
    }
  });
});

async function accessToken(
  tokenUrl: string,
  refreshToken: string,
  client: { clientId: string; clientSecret: string },
): Promise<string> {
  const response = await fetch(tokenUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: refreshToken,
      client_id: client.clientId,
      client_secret: client.clientSecret,
    }),
  });
  const body: unknown = await response.json();
  if (
    typeof body === "object" &&
    body !== null &&
    "access_token" in body &&
    typeof body.access_token === "string"
  ) {
    return body.access_token;
  }
  throw new Error(`no access token: ${JSON.stringify(body)}`);
}
