import { createHash } from "node:crypto";
import { generateSecret } from "../config";

const TOKEN_PREFIX = "tsr_";

export interface NewToken {
  secret: string;
  prefix: string;
  tokenHash: string;
}

export const hashToken = (secret: string) => createHash("sha256").update(secret).digest("hex");

/** An opaque API token: only its hash and a short display prefix are stored. */
export function newToken(secret = generateSecret(TOKEN_PREFIX)): NewToken {
  return { secret, prefix: secret.slice(0, TOKEN_PREFIX.length + 6), tokenHash: hashToken(secret) };
}

/** Parses `Authorization: Bearer <token>`; anything else is treated as no token. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1] ?? null;
}
