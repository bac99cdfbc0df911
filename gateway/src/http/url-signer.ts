import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { PrismaClient } from "../generated/prisma/client";

const KEY_SETTING = "url-signing-key";
/**
 * How far a link's expiry may lie beyond now + the lifetime: replicas' clocks differ a little, so
 * a link another replica just signed can look that much too long-lived here.
 */
export const CLOCK_SKEW_SECONDS = 60;

/**
 * Short-lived download links: `path?user=…&expires=…&signature=…`, an HMAC over all three. The key
 * lives in the database so every gateway replica accepts links any of them issued.
 */
export class UrlSigner {
  constructor(
    private readonly key: Buffer,
    private readonly ttlSeconds: number,
  ) {}

  static async load(prisma: PrismaClient, ttlSeconds: number): Promise<UrlSigner> {
    await prisma.setting.createMany({
      data: [{ key: KEY_SETTING, value: randomBytes(32).toString("base64") }],
      skipDuplicates: true,
    });
    const setting = await prisma.setting.findUniqueOrThrow({ where: { key: KEY_SETTING } });
    return new UrlSigner(Buffer.from(setting.value, "base64"), ttlSeconds);
  }

  sign(path: string, userId: string | null, now = Date.now()): string {
    const expires = Math.floor(now / 1000) + this.ttlSeconds;
    const params = new URLSearchParams({ user: userId ?? "", expires: String(expires) });
    params.set("signature", this.mac(path, userId ?? "", expires));
    return `${path}?${params}`;
  }

  /**
   * The user the link was issued to ("" for an anonymous viewer), or null if invalid, expired, or
   * valid for longer than this gateway issues links: whoever holds the key could otherwise mint
   * links that never expire.
   */
  verify(path: string, query: URLSearchParams, now = Date.now()): { userId: string } | null {
    const userId = query.get("user") ?? "";
    const expires = Number(query.get("expires"));
    const signature = query.get("signature") ?? "";
    if (!Number.isSafeInteger(expires) || expires * 1000 < now) return null;
    if (expires > Math.floor(now / 1000) + this.ttlSeconds + CLOCK_SKEW_SECONDS) return null;
    const expected = Buffer.from(this.mac(path, userId, expires));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected) ? { userId } : null;
  }

  private mac(path: string, userId: string, expires: number): string {
    return createHmac("sha256", this.key).update(`${path}\n${userId}\n${expires}`).digest("base64url");
  }
}
