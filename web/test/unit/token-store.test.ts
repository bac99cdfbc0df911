import { afterEach, describe, expect, it, vi } from "vitest";
import {
  clearToken,
  normaliseToken,
  onTokenChangedElsewhere,
  readToken,
  TOKEN_KEY,
  writeToken,
} from "../../src/session/token-store";

afterEach(() => localStorage.clear());

describe("the signed-in token", () => {
  it("accepts a bare token or a copied `Bearer` header value, and says what is wrong otherwise", () => {
    expect(normaliseToken("  tsr_abc123  ")).toEqual({ token: "tsr_abc123" });
    expect(normaliseToken("Bearer tsr_abc123")).toEqual({ token: "tsr_abc123" });
    expect(normaliseToken("bearer   tsr_abc123\n")).toEqual({ token: "tsr_abc123" });
    expect(normaliseToken("   ")).toEqual({ problem: "Paste an API token, e.g. tsr_…" });
    expect(normaliseToken("tsr_abc 123")).toEqual({
      problem: "An API token has no spaces; paste it in one piece",
    });
  });

  it("survives a reload in localStorage until signing out clears it", () => {
    expect(readToken()).toBeNull();
    writeToken("tsr_abc123");
    expect(localStorage.getItem(TOKEN_KEY)).toBe("tsr_abc123");
    expect(readToken()).toBe("tsr_abc123");
    clearToken();
    expect(readToken()).toBeNull();
  });

  it("ignores a stored value that cannot be a token", () => {
    localStorage.setItem(TOKEN_KEY, "two words");
    expect(readToken()).toBeNull();
  });

  it("hears another tab signing in or out, and nothing about other keys", () => {
    const listener = vi.fn();
    const stop = onTokenChangedElsewhere(listener);
    localStorage.setItem(TOKEN_KEY, "tsr_other_tab");
    window.dispatchEvent(new StorageEvent("storage", { key: TOKEN_KEY }));
    window.dispatchEvent(new StorageEvent("storage", { key: "something-else" }));
    localStorage.removeItem(TOKEN_KEY);
    window.dispatchEvent(new StorageEvent("storage", { key: TOKEN_KEY }));
    stop();
    window.dispatchEvent(new StorageEvent("storage", { key: TOKEN_KEY }));
    expect(listener.mock.calls).toEqual([["tsr_other_tab"], [null]]);
  });
});
