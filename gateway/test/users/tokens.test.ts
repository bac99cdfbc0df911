import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config";
import { newToken, parseToken } from "../../src/users/tokens";

describe("the token format tsr_<public id>_<secret>", () => {
  it("splits at the first `_` after tsr_, since the base64url secret may hold `_` and `-`", () => {
    expect(parseToken("tsr_abcdefgh2345_x_y-z__")).toEqual({ publicId: "abcdefgh2345", secret: "x_y-z__" });
    const token = newToken();
    expect(parseToken(token.secret)).toEqual({
      publicId: token.publicId,
      secret: token.secret.slice("tsr_".length + 13),
    });
  });

  it("leaves anything else to the whole-token lookup (old tokens, TESSERA_ADMIN_TOKEN)", () => {
    for (const other of [
      "tsr_Ab_-Ab_-Ab_-Ab_-Ab_-Ab_-Ab_-Ab_-Ab_-Ab_-xyz",
      "tsr_abcdefgh2345_",
      "abcdefgh2345_x",
    ]) {
      expect(parseToken(other)).toBeNull();
    }
  });
});

describe("TESSERA_ADMIN_TOKEN", () => {
  it("is refused at start when shorter than 32 characters or with spaces, and taken as it is otherwise", () => {
    for (const weak of ["tsr_short", "x".repeat(31), `${"x".repeat(32)} y`]) {
      expect(() => loadConfig({ TESSERA_ADMIN_TOKEN: weak })).toThrow(ConfigError);
    }
    expect(() => loadConfig({ TESSERA_ADMIN_TOKEN: "x".repeat(31) })).toThrow(
      "TESSERA_ADMIN_TOKEN must be at least 32 characters without spaces, got 31",
    );
    expect(loadConfig({ TESSERA_ADMIN_TOKEN: "x".repeat(32) }).adminToken).toBe("x".repeat(32));
    expect(loadConfig({}).adminToken).toBeNull();
  });
});
