import type { gmail_v1 } from "@googleapis/gmail";
import { OAuth2Client } from "google-auth-library";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { type GoogleEmulator, startGoogleEmulator } from "./index.ts";
import { clientsFor, type Receiver, rfc822, startReceiver } from "./testkit.ts";

const OWNER = "owner@example.com";
const PUSH_SA = "gmail-push@decorum-test.iam.gserviceaccount.com";
const DAY = 86_400_000;

const PushBody = z.object({
  message: z.object({ data: z.string(), messageId: z.string(), publishTime: z.string() }),
  subscription: z.string(),
});
const Notification = z.object({ emailAddress: z.string(), historyId: z.number() });

let clockOffset = 0;
let emu: GoogleEmulator;
let gmail: gmail_v1.Gmail;
let receiver: Receiver;
let endpoint: string;

beforeAll(async () => {
  emu = await startGoogleEmulator({
    users: [{ email: OWNER }],
    pushServiceAccount: PUSH_SA,
    now: () => Date.now() + clockOffset,
  });
  gmail = clientsFor(emu, OWNER).gmail;
  receiver = await startReceiver();
  endpoint = `${receiver.url}/gmail/push`;
});

beforeEach(async () => {
  clockOffset = 0;
  receiver.status = 204;
  emu.setPushEndpoint(endpoint);
  await gmail.users.watch({
    userId: "me",
    requestBody: {
      topicName: "projects/decorum-test/topics/gmail",
      labelIds: ["INBOX"],
      labelFilterBehavior: "INCLUDE",
    },
  });
});

afterAll(async () => {
  await emu.close();
  await receiver.close();
});

const invitation = (subject: string) =>
  rfc822({ From: "ana@client-firm.com", To: OWNER, Subject: subject }, "Dinner?");

/** What a push endpoint does: verify Google's OIDC token against the (emulated) Google certs. */
async function verifyPush(authorization: string | undefined, audience: string) {
  const idToken = /^Bearer (.+)$/.exec(authorization ?? "")?.[1] ?? "";
  const verifier = new OAuth2Client({ endpoints: emu.googleAuthEndpoints });
  const ticket = await verifier.verifyIdToken({ idToken, audience });
  return ticket.getPayload();
}

describe("Gmail Pub/Sub push", () => {
  it("POSTs Pub/Sub's envelope with the new historyId and a verifiable OIDC token", async () => {
    const before = receiver.requests.length;
    const delivered = await emu.deliverMessage(OWNER, invitation("Dinner?"));
    expect(delivered.push).toEqual({ status: 204 });

    const request = receiver.requests[before];
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/gmail/push");
    expect(request?.headers["content-type"]).toBe("application/json");
    const body = PushBody.parse(JSON.parse(request?.body ?? ""));
    expect(body.subscription).toBe("projects/decorum-test/subscriptions/gmail-push");
    const data = Notification.parse(
      JSON.parse(Buffer.from(body.message.data, "base64").toString("utf8")),
    );
    expect(data).toEqual({ emailAddress: OWNER, historyId: Number(delivered.historyId) });

    const payload = await verifyPush(request?.headers.authorization, endpoint);
    expect(payload).toMatchObject({
      iss: "https://accounts.google.com",
      aud: endpoint,
      email: PUSH_SA,
      email_verified: true,
    });
  });

  it("verifies with verifySignedJwtWithCertsAsync against the served PEM certificates", async () => {
    const token = await emu.signPushToken({ audience: endpoint });
    const certs = z
      .record(z.string(), z.string())
      .parse(await (await fetch(emu.endpoints.certsUrl)).json());
    const ticket = await new OAuth2Client().verifySignedJwtWithCertsAsync(token, certs, endpoint, [
      emu.endpoints.issuer,
    ]);
    expect(ticket.getPayload()?.email).toBe(PUSH_SA);
  });

  it("rejects a forged token, a token for another audience, and reports email_verified as set", async () => {
    const forged = await emu.signPushToken({ audience: endpoint, key: "forged" });
    await expect(verifyPush(`Bearer ${forged}`, endpoint)).rejects.toThrow(
      /Invalid token signature/,
    );
    const elsewhere = await emu.signPushToken({ audience: "https://elsewhere.example/push" });
    await expect(verifyPush(`Bearer ${elsewhere}`, endpoint)).rejects.toThrow(/Wrong recipient/);
    const unverified = await emu.signPushToken({
      audience: endpoint,
      email: "intruder@evil.example",
      emailVerified: false,
    });
    expect(await verifyPush(`Bearer ${unverified}`, endpoint)).toMatchObject({
      email: "intruder@evil.example",
      email_verified: false,
    });
    const expired = await emu.signPushToken({ audience: endpoint, expiresInSeconds: -3600 });
    await expect(verifyPush(`Bearer ${expired}`, endpoint)).rejects.toThrow(/too late/);
  });

  it("follows the watch's label filter: a draft or spam does not notify an INBOX watch", async () => {
    const before = receiver.requests.length;
    await gmail.users.drafts.create({
      userId: "me",
      requestBody: { message: { raw: Buffer.from(invitation("draft")).toString("base64url") } },
    });
    const spam = await emu.deliverMessage(OWNER, invitation("spam"), { labelIds: ["SPAM"] });
    await emu.idle();
    expect(spam.push).toBeUndefined();
    expect(receiver.requests.length).toBe(before);
  });

  it("reports the receiver's error status, and status 0 when it is down, without harming the emulator", async () => {
    receiver.status = 500;
    expect((await emu.deliverMessage(OWNER, invitation("500"))).push).toEqual({ status: 500 });

    const gone = await startReceiver();
    await gone.close();
    emu.setPushEndpoint(`${gone.url}/push`);
    const result = await emu.deliverMessage(OWNER, invitation("down"));
    expect(result.push?.status).toBe(0);
    expect(emu.pushes[emu.pushes.length - 1]?.result?.error).toMatch(/ECONNREFUSED/);
    expect((await gmail.users.getProfile({ userId: "me" })).status).toBe(200);
  });

  it("stops after users.stop, after the watch expires, and without an endpoint", async () => {
    await gmail.users.stop({ userId: "me" });
    expect((await emu.deliverMessage(OWNER, invitation("after stop"))).push).toBeUndefined();

    await gmail.users.watch({
      userId: "me",
      requestBody: { topicName: "projects/decorum-test/topics/gmail" },
    });
    clockOffset = 8 * DAY;
    expect((await emu.deliverMessage(OWNER, invitation("after expiry"))).push).toBeUndefined();
    clockOffset = 0;

    emu.setPushEndpoint(null);
    expect((await emu.deliverMessage(OWNER, invitation("no endpoint"))).push).toBeUndefined();
  });
});
