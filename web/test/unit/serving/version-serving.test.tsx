import { ApolloProvider } from "@apollo/client/react";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { GraphQLError } from "graphql";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ExportPackage } from "../../../src/serving/version-package";
import { VersionServing } from "../../../src/serving/version-serving";
import { Framework } from "../../../src/gql/graphql";
import { formatDateTime } from "../../../src/ui/format";
import { fakeGraphQLServer, type Answer } from "../fake-graphql-server";
import { ada } from "./analytics-fixtures";

afterEach(cleanup);

const noImport: Answer = (variables) => ({
  data: { modelVersion: { __typename: "ModelVersion", id: variables.id, importedFrom: null } },
});

function renderServing(framework: Framework, answers: Record<string, Answer>) {
  const server = fakeGraphQLServer({ VersionImportedFrom: noImport, ...answers });
  render(
    <ApolloProvider client={server.client}>
      <MemoryRouter>
        <VersionServing versionId="v-1" framework={framework} deployed={false} />
      </MemoryRouter>
    </ApolloProvider>,
  );
  return server;
}

const factsOf = (section: HTMLElement) =>
  Object.fromEntries(
    [...section.querySelectorAll(".fact")].map((fact) => [
      fact.querySelector("dt")!.textContent,
      fact.querySelector("dd")!.textContent,
    ]),
  );

describe("a version's serving facts", () => {
  it("list an ensemble's members then fallbacks, with a member the viewer cannot see left unnamed", async () => {
    const member = (id: string, slug: string, version: string) => ({
      __typename: "ModelVersion",
      id,
      version,
      model: { __typename: "Model", id: `m-${slug}`, slug, owner: ada },
    });
    renderServing(Framework.Ensemble, {
      VersionEnsemble: () => ({
        data: {
          modelVersion: {
            __typename: "ModelVersion",
            id: "v-1",
            ensemble: {
              __typename: "Ensemble",
              blend: "CONFIDENCE_WEIGHTED",
              memberTimeoutMs: 2000,
              members: [
                {
                  __typename: "EnsembleMemberRef",
                  role: "MEMBER",
                  weight: 2,
                  alias: "ada/colours@production",
                  modelVersion: member("c-3", "colours", "v3"),
                },
                {
                  __typename: "EnsembleMemberRef",
                  role: "MEMBER",
                  weight: 1,
                  alias: null,
                  modelVersion: null,
                },
                {
                  __typename: "EnsembleMemberRef",
                  role: "FALLBACK",
                  // As a float sum arrives: shown as typed.
                  weight: 0.1 + 0.2,
                  alias: null,
                  modelVersion: member("o-1", "offline", "v1"),
                },
              ],
            },
          },
        },
      }),
    });
    const table = await screen.findByRole("table", { name: "Members of the ensemble" });
    expect(
      within(table)
        .getAllByRole("row")
        .slice(1)
        .map((row) => row.textContent),
    ).toEqual([
      "ada/colours v3follows ada/colours@productionMember2",
      "A version you cannot seeMember1",
      "ada/offline v1Fallback0.3",
    ]);
    expect(factsOf(screen.getByRole("region", { name: "Ensemble" }))).toEqual({
      Blend: "Confidence-weighted (weights scaled by each member's top score)",
      "Member timeout": "2000 ms",
    });
  });

  it("show a remote endpoint's limits and circuit, and only whether a secret is set", async () => {
    renderServing(Framework.Remote, {
      VersionRemote: () => ({
        data: {
          modelVersion: {
            __typename: "ModelVersion",
            id: "v-1",
            remote: {
              __typename: "RemoteModel",
              url: "https://api.example.com/v1",
              remoteModel: "colours-large",
              timeoutMs: 3000,
              hasSecret: true,
              circuit: "OPEN",
              retryAfter: null,
              rateLimit: { __typename: "RemoteRateLimit", perMinute: 60, perHour: null },
            },
          },
        },
      }),
    });
    const section = await screen.findByRole("region", { name: "Remote endpoint" });
    expect(factsOf(section)).toEqual({
      URL: "https://api.example.com/v1",
      "Remote model": "colours-large",
      Timeout: "3000 ms",
      "Rate limit": "60 a minute",
      Circuit: "Open: calls are refused while the endpoint fails",
      Secret: "Set (stored encrypted, not shown)",
    });
  });

  it("read the endpoint's facts again every 10 s, showing a 429's wait only while it lasts", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const waits = ["2020-01-01T00:00:00.000Z", "2099-01-01T00:00:00.000Z"];
      const server = renderServing(Framework.Remote, {
        VersionRemote: () => ({
          data: {
            modelVersion: {
              __typename: "ModelVersion",
              id: "v-1",
              remote: {
                __typename: "RemoteModel",
                url: "https://api.example.com/v1",
                remoteModel: "colours-large",
                timeoutMs: 3000,
                hasSecret: false,
                circuit: "CLOSED",
                retryAfter: waits.shift() ?? null,
                rateLimit: { __typename: "RemoteRateLimit", perMinute: null, perHour: null },
              },
            },
          },
        }),
      });
      const section = await screen.findByRole("region", { name: "Remote endpoint" });
      expect(factsOf(section)["Asked to wait until"]).toBeUndefined();
      await vi.advanceTimersByTimeAsync(10_000);
      await waitFor(() =>
        expect(factsOf(section)["Asked to wait until"]).toBe(formatDateTime("2099-01-01T00:00:00.000Z")),
      );
      expect(server.calls.filter((call) => call.operationName === "VersionRemote")).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("show where an imported version came from", async () => {
    renderServing(Framework.Onnx, {
      VersionImportedFrom: () => ({
        data: {
          modelVersion: {
            __typename: "ModelVersion",
            id: "v-1",
            importedFrom: {
              __typename: "ImportedPackage",
              sha256: "ab12",
              name: "colours",
              version: "v2",
              author: "ada",
              created: "2026-12-01T10:00:00Z",
              packageVersion: "1.0",
              importedAt: "2026-12-07T09:00:00.000Z",
            },
          },
        },
      }),
    });
    const section = await screen.findByRole("region", { name: "Imported from" });
    expect(factsOf(section)).toMatchObject({
      Package: "colours v2",
      Author: "ada",
      Made: formatDateTime("2026-12-01T10:00:00Z"),
      "Package format": "1.0",
      "Package sha256": "ab12",
    });
    expect(screen.getByRole("button", { name: "Export package" })).toBeTruthy();
  });
});

describe("exporting a package", () => {
  const renderExport = (answer: Answer) => {
    const download = vi.fn();
    const server = fakeGraphQLServer({ ExportModelPackage: answer });
    render(
      <ApolloProvider client={server.client}>
        <ExportPackage versionId="v-1" download={download} />
      </ApolloProvider>,
    );
    return { server, download };
  };

  it("downloads the signed URL under the package's file name", async () => {
    const { server, download } = renderExport(() => ({
      data: {
        exportModelPackage: {
          __typename: "ModelPackage",
          url: "/files/packages/abc?sig=1",
          filename: "ada-colours-v2.tessera",
          sizeBytes: 2048,
          sha256: "ff00",
          expiresAt: "2026-12-07T09:30:00.000Z",
        },
      },
    }));
    fireEvent.click(screen.getByRole("button", { name: "Export package" }));
    await waitFor(() =>
      expect(download).toHaveBeenCalledWith("/files/packages/abc?sig=1", "ada-colours-v2.tessera"),
    );
    expect(server.calls.map((call) => call.variables)).toEqual([{ versionId: "v-1" }]);
    expect(screen.getByRole("link", { name: "ada-colours-v2.tessera" }).getAttribute("href")).toBe(
      "/files/packages/abc?sig=1",
    );
  });

  it("shows the refusal with its code and downloads nothing", async () => {
    const { download } = renderExport(() => ({
      errors: [
        new GraphQLError("Only ONNX versions can be packaged", {
          extensions: { code: "FAILED_PRECONDITION" },
        }),
      ],
    }));
    fireEvent.click(screen.getByRole("button", { name: "Export package" }));
    await waitFor(() =>
      expect(screen.getByRole("alert").textContent).toBe(
        "FAILED_PRECONDITION Only ONNX versions can be packaged",
      ),
    );
    expect(download).not.toHaveBeenCalled();
  });
});
