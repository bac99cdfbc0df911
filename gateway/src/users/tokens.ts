import { hash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * API tokens read `tsr_<publicId>_<secret>`: the public id (12 lowercase letters and digits) names
 * the token in lists and logs and finds its row; the secret (256 random bits, base64url) is checked
 * against its stored sha256. base64url has `_` in its alphabet, so a token splits at the first `_`
 * after `tsr_` only.
 */
const TOKEN_PREFIX = "tsr_";
const PUBLIC_ID = /^[a-z0-9]{12}$/;
const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

interface NewToken {
  /** The whole token, shown to its owner once. */
  secret: string;
  publicId: string;
  secretHash: string;
}

/**
 * sha256 in hex: of a whole token, or of the secret part of one. The one-shot `crypto.hash`
 * (Node ≥ 20.12) skips the Hash object createHash builds, on a path every request takes.
 */
export const hashToken = (text: string) => hash("sha256", text, "hex");

/** 60 random bits in lowercase base32; a byte's low 5 bits are uniform, so no bias. */
export const newPublicId = () => Array.from(randomBytes(12), (byte) => BASE32[byte & 31]).join("");

export function newToken(): NewToken {
  const publicId = newPublicId();
  const secret = randomBytes(32).toString("base64url");
  return { secret: `${TOKEN_PREFIX}${publicId}_${secret}`, publicId, secretHash: hashToken(secret) };
}

/** What is shown for a token: never any part of its secret. */
export const displayPrefix = (publicId: string) => `${TOKEN_PREFIX}${publicId}`;

/** The parts of a token in the current format, or null for anything else (a legacy or admin token). */
export function parseToken(token: string): { publicId: string; secret: string } | null {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const rest = token.slice(TOKEN_PREFIX.length);
  const separator = rest.indexOf("_");
  if (separator < 0) return null;
  const publicId = rest.slice(0, separator);
  const secret = rest.slice(separator + 1);
  return PUBLIC_ID.test(publicId) && secret ? { publicId, secret } : null;
}

/** Constant-time, so response times do not tell how much of a guessed secret was right. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashToken(secret), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** Parses `Authorization: Bearer <token>`; anything else is treated as no token. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1] ?? null;
}
