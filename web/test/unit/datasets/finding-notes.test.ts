import { describe, expect, it } from "vitest";
import { affectedFraction, sampleNotes, unreadableFiles } from "../../../src/datasets/finding-notes";
import { QualityFindingKind } from "../../../src/gql/graphql";

describe("sampleNotes", () => {
  it("says which label the neighbours of a suspected mislabel carry", () => {
    const notes = sampleNotes({
      kind: QualityFindingKind.SuspectedLabelErrors,
      details: {
        affectedFraction: 0.05,
        samples: [
          { id: "s1", label: "cat", suggestedLabel: "dog", votes: "4/5" },
          { id: "s2", label: "dog", suggestedLabel: "cat" },
        ],
      },
    });
    expect([...notes]).toEqual([
      ["s1", "Looks like “dog” (4/5 neighbours)"],
      ["s2", "Looks like “cat”"],
    ]);
  });

  it("numbers duplicate groups and gives low-resolution sizes", () => {
    expect([
      ...sampleNotes({
        kind: QualityFindingKind.NearDuplicates,
        details: {
          groups: [
            ["a", "b"],
            ["c", "d", "e"],
          ],
        },
      }),
    ]).toEqual([
      ["a", "Group 1"],
      ["b", "Group 1"],
      ["c", "Group 2"],
      ["d", "Group 2"],
      ["e", "Group 2"],
    ]);
    expect([
      ...sampleNotes({
        kind: QualityFindingKind.LowResolution,
        details: { sizes: [{ id: "x", width: 40, height: 30 }] },
      }),
    ]).toEqual([["x", "40 × 30 px"]]);
  });

  it("notes nothing when details are missing or not what the report sends", () => {
    expect(sampleNotes({ kind: QualityFindingKind.SuspectedLabelErrors, details: null }).size).toBe(0);
    expect(sampleNotes({ kind: QualityFindingKind.ExactDuplicates, details: { groups: "nope" } }).size).toBe(
      0,
    );
    expect(sampleNotes({ kind: QualityFindingKind.Blurry, details: { samples: [{ id: "a" }] } }).size).toBe(
      0,
    );
  });
});

describe("unreadableFiles and affectedFraction", () => {
  it("read the left-out files and the share of the version", () => {
    const finding = {
      kind: QualityFindingKind.UnreadableFiles,
      details: {
        affectedFraction: 0.1,
        files: [{ path: "cat/notes.txt", reason: "not an image" }, { bad: true }],
      },
    };
    expect(unreadableFiles(finding)).toEqual([{ path: "cat/notes.txt", reason: "not an image" }]);
    expect(affectedFraction(finding)).toBe(0.1);
    expect(affectedFraction({ kind: QualityFindingKind.Blurry, details: {} })).toBeNull();
  });
});
