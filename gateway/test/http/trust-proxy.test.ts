import http from "node:http";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { uploadModel } from "../registry/operations";

// Behind a reverse proxy that ends TLS, links must say https and name the proxy's host.
let gateway: TestGateway;
let versionId: string;

beforeAll(async () => {
  gateway = await startTestGateway({ env: { TESSERA_TRUST_PROXY: "loopback" } });
  versionId = (await uploadModel(gateway, { slug: "proxied" }, { "model.pt": "weights" })).id;
});
afterAll(async () => {
  await gateway?.stop();
});

// node:http, since fetch does not let a caller set Host.
function downloadUrl(headers: Record<string, string>): Promise<string> {
  const body = JSON.stringify({
    query: "query ($id: ID!) { modelVersion(id: $id) { downloadUrl } }",
    variables: { id: versionId },
  });
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${gateway.url}/graphql`,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${gateway.adminToken}`,
          ...headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const answer = JSON.parse(Buffer.concat(chunks).toString()) as {
            data: { modelVersion: { downloadUrl: string } };
          };
          resolve(answer.data.modelVersion.downloadUrl);
        });
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

describe("TESSERA_TRUST_PROXY", () => {
  it("builds links with the scheme the trusted proxy forwards", async () => {
    const proxied = await downloadUrl({ "x-forwarded-proto": "https", host: "tessera.example" });
    expect(proxied).toMatch(
      new RegExp(`^https://tessera\\.example/files/model-versions/${versionId}\\.zip\\?`),
    );
    const direct = await downloadUrl({});
    expect(direct.startsWith(`${gateway.url}/files/model-versions/${versionId}.zip?`)).toBe(true);
  });

  it("is off by default, and refuses values Express would misread", () => {
    expect(loadConfig({}).trustProxy).toBeNull();
    expect(loadConfig({ TESSERA_TRUST_PROXY: "2" }).trustProxy).toBe(2);
    expect(loadConfig({ TESSERA_TRUST_PROXY: "10.0.0.0/8, loopback" }).trustProxy).toBe(
      "10.0.0.0/8, loopback",
    );
    expect(() => loadConfig({ TESSERA_TRUST_PROXY: "0" })).toThrow(ConfigError);
    expect(() => loadConfig({ TESSERA_TRUST_PROXY: "*" })).toThrow(/TESSERA_TRUST_PROXY/);
  });

  it("accepts only what Express accepts, and names the variable for anything else", () => {
    const accepted = [
      "loopback",
      "linklocal, uniquelocal",
      "10.0.0.1",
      "10.0.0.0/8,172.16.0.0/12",
      "192.168.1.7/32",
      "::1",
      "fd00::/8, loopback",
      "2001:db8::/128",
    ];
    for (const value of accepted) {
      const { trustProxy } = loadConfig({ TESSERA_TRUST_PROXY: value });
      expect(trustProxy).toBe(value);
      expect(() => express().set("trust proxy", trustProxy), value).not.toThrow();
    }
    const refused = [
      "true",
      "proxy.example.com",
      "Loopback",
      "10.0.0.0/33",
      "10.0.0.0/0",
      "::/129",
      "10.0.0.0/8/8",
      "10.0.0.1,",
      "10.0.0",
      "10.0.0.0/255.0.0.0",
    ];
    for (const value of refused) {
      expect(() => loadConfig({ TESSERA_TRUST_PROXY: value }), value).toThrow(ConfigError);
      expect(() => loadConfig({ TESSERA_TRUST_PROXY: value }), value).toThrow(/^TESSERA_TRUST_PROXY must/);
    }
    // What the check exists for: Express's own refusal does not say which setting is wrong.
    expect(() => express().set("trust proxy", "true")).toThrow(/^invalid IP address: true$/);
  });
});
