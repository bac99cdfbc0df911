import { describe, expect, it } from "vitest";
import { GrpcAddressError, parseGrpcAddress } from "../src/address";

describe("gRPC addresses as written in INFERENCE_URL and TRITON_URL", () => {
  it.each([
    ["127.0.0.1:8001", "127.0.0.1:8001", false],
    ["tier-a", "tier-a:8001", false],
    [" grpc://tier-a:9000 ", "tier-a:9000", false],
    ["http://tier-a:80", "tier-a:80", false],
    ["grpcs://triton.example.com", "triton.example.com:8001", true],
    ["https://triton.example.com:443/", "triton.example.com:443", true],
    ["[::1]:8001", "[::1]:8001", false],
  ])("%s → %s", (raw, target, secure) => {
    expect(parseGrpcAddress(raw)).toEqual({ target, secure });
  });

  it.each([
    [
      "ftp://tier-a:21",
      '"ftp://tier-a:21" uses ftp://; expected grpc://, grpcs://, http:// or https:// (or none)',
    ],
    [
      "tier-a:8001/models",
      '"tier-a:8001/models" is not a gRPC address; expected host:port, e.g. 127.0.0.1:8001',
    ],
    ["tier a:8001", '"tier a:8001" is not a gRPC address; expected host:port, e.g. 127.0.0.1:8001'],
  ])("rejects %s", (raw, message) => {
    expect(() => parseGrpcAddress(raw)).toThrow(new GrpcAddressError(message));
  });
});
