import { createHash, generateKeyPair, type KeyObject, sign, X509Certificate } from "node:crypto";

/**
 * A signing key the way Google publishes one: an RSA key with a key id, whose public half is served
 * as a self-signed X.509 certificate (v1/certs, PEM) and as a JWK (v3/certs).
 * node:crypto cannot build certificates, so a minimal DER encoder builds one here; a real
 * certificate (not just a PEM public key) keeps verifiers that insist on X.509 (jose's importX509)
 * working too.
 */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  certificatePem: string;
}

type KeyPair = { privateKey: KeyObject; publicKey: KeyObject };

function newKeyPair(): Promise<KeyPair> {
  return new Promise((resolve, reject) => {
    generateKeyPair("rsa", { modulusLength: 2048 }, (err, publicKey, privateKey) => {
      if (err) reject(err);
      else resolve({ privateKey, publicKey });
    });
  });
}

// RSA generation costs about half a second on a busy machine, so each process makes its key pairs
// once and every emulator reuses them under its own kid and certificate.
const keyPairs = new Map<number, Promise<KeyPair>>();

function keyPair(slot: number): Promise<KeyPair> {
  let pair = keyPairs.get(slot);
  if (!pair) {
    pair = newKeyPair();
    keyPairs.set(slot, pair);
  }
  return pair;
}

/** `slot` picks distinct key material: slot 0 is the emulator's key, slot 1 the forger's. */
export async function createSigningKey(opts: {
  kid: string;
  slot: number;
  commonName?: string;
  now: number;
}): Promise<SigningKey> {
  const { privateKey, publicKey } = await keyPair(opts.slot);
  const certificatePem = selfSignedCertificate({
    privateKey,
    publicKey,
    commonName: opts.commonName ?? "emulator.googleusercontent.com",
    notBefore: new Date(opts.now - 24 * 3600_000),
    notAfter: new Date(opts.now + 30 * 24 * 3600_000),
  });
  return { kid: opts.kid, privateKey, publicKey, certificatePem };
}

export function signJwt(key: SigningKey, payload: Record<string, unknown>): string {
  const header = { alg: "RS256", kid: key.kid, typ: "JWT" };
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const signature = sign("sha256", Buffer.from(signingInput), key.privateKey);
  return `${signingInput}.${signature.toString("base64url")}`;
}

export function jwk(key: SigningKey): Record<string, unknown> {
  return { ...key.publicKey.export({ format: "jwk" }), kid: key.kid, alg: "RS256", use: "sig" };
}

function b64url(text: string): string {
  return Buffer.from(text, "utf8").toString("base64url");
}

// --- DER, just enough for one certificate ---------------------------------------------------

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  let rest = length;
  while (rest > 0) {
    bytes.unshift(rest & 0xff);
    rest >>= 8;
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const nul = () => Buffer.from([0x05, 0x00]);

/** A non-negative DER INTEGER: minimal length (no leading zero bytes), then a zero byte where a
 * leading 1-bit would read as negative. */
export function integer(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const minimal = bytes.subarray(start);
  const first = minimal[0] ?? 0;
  return tlv(0x02, first & 0x80 ? Buffer.concat([Buffer.from([0]), minimal]) : minimal);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split(".").map(Number);
  const [a = 0, b = 0, ...rest] = parts;
  const out: number[] = [a * 40 + b];
  for (const part of rest) {
    const chunk: number[] = [part & 0x7f];
    let value = part >> 7;
    while (value > 0) {
      chunk.unshift((value & 0x7f) | 0x80);
      value >>= 7;
    }
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function utcTime(date: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, "0");
  const text = `${p(date.getUTCFullYear() % 100)}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}Z`;
  return tlv(0x17, Buffer.from(text, "ascii"));
}

function selfSignedCertificate(opts: {
  privateKey: KeyObject;
  publicKey: KeyObject;
  commonName: string;
  notBefore: Date;
  notAfter: Date;
}): string {
  const sha256WithRsa = seq(oid("1.2.840.113549.1.1.11"), nul());
  const name = seq(set(seq(oid("2.5.4.3"), tlv(0x0c, Buffer.from(opts.commonName, "utf8")))));
  const spki = opts.publicKey.export({ type: "spki", format: "der" });
  const serial = createHash("sha256").update(spki).digest().subarray(0, 16);
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))),
    integer(serial),
    sha256WithRsa,
    name,
    seq(utcTime(opts.notBefore), utcTime(opts.notAfter)),
    name,
    spki,
  );
  const signature = sign("sha256", tbs, opts.privateKey);
  const der = seq(tbs, sha256WithRsa, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const body = der.toString("base64").replace(/(.{64})/g, "$1\n");
  const pem = `-----BEGIN CERTIFICATE-----\n${body.trimEnd()}\n-----END CERTIFICATE-----\n`;
  // Fail loudly at start-up rather than with an obscure verification error later.
  if (!new X509Certificate(pem).verify(opts.publicKey)) {
    throw new Error("emulator: self-signed certificate does not verify");
  }
  return pem;
}
