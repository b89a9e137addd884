/**
 * Runs the emulator on its own for local development and the demo:
 *   npx tsx test/emulator/serve.ts [--port 9000] [--push http://127.0.0.1:3000/gmail/push]
 * The fixture owner (owner@example.com) is seeded from test/fixtures/emulator.
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startGoogleEmulator } from "./index.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "9000" },
    push: { type: "string" },
    user: { type: "string", default: "owner@example.com" },
  },
});

const fixtures = new URL("../fixtures/emulator/", import.meta.url);
const emu = await startGoogleEmulator({
  port: Number(values.port),
  users: [
    {
      email: values.user,
      name: "Demo Owner",
      mailboxDir: fileURLToPath(new URL("mailbox", fixtures)),
      calendarDir: fileURLToPath(new URL("calendar", fixtures)),
    },
  ],
  ...(values.push ? { pushEndpoint: values.push } : {}),
});

const tokens = emu.issueTokens(values.user);
console.log(
  JSON.stringify(
    {
      url: emu.url,
      clientId: emu.clientId,
      clientSecret: emu.clientSecret,
      endpoints: emu.endpoints,
      user: values.user,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
    },
    null,
    2,
  ),
);

const stop = () => {
  void emu.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
