import { describe, expect, it } from "vitest";
import { hostIsInternal, isInternalAddress } from "../../src/models/private-addresses";

describe("internal addresses", () => {
  it("recognises loopback, private, link-local and mapped addresses", () => {
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.20.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "[::1]",
      "fd00::1",
      "fe80::1",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
    ]) {
      expect(isInternalAddress(address), address).toBe(true);
    }
  });

  it("lets public addresses and names through", () => {
    for (const address of ["8.8.8.8", "1.1.1.1", "2606:4700::1111", "172.32.0.1", "huggingface.co"]) {
      expect(isInternalAddress(address), address).toBe(false);
    }
  });

  it("classifies an endpoint host, resolving names", async () => {
    expect(await hostIsInternal("127.0.0.1")).toBe(true);
    expect(await hostIsInternal("localhost")).toBe(true);
    expect(await hostIsInternal("[::1]")).toBe(true);
    expect(await hostIsInternal("8.8.8.8")).toBe(false);
  });
});
