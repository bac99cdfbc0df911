import { describe, expect, it } from "vitest";
import { placeDeployment, rankTiers, rendezvousWeight } from "../../src/tier/placement";

const tiers = ["10.0.0.1:8001", "10.0.0.2:8001", "10.0.0.3:8001", "10.0.0.4:8001"];
const allUp = () => true;

describe("rendezvous placement", () => {
  it("ranks the tiers by weight, the same for the same key whatever the configuration order", () => {
    const ranked = rankTiers("alice.resnet", tiers);
    expect([...ranked].sort()).toEqual(tiers);
    expect(rankTiers("alice.resnet", [...tiers].reverse())).toEqual(ranked);
    const weights = ranked.map((address) => rendezvousWeight("alice.resnet", address));
    expect(weights).toEqual([...weights].sort((a, b) => b - a));
  });

  it("puts different models on different tiers", () => {
    const firsts = new Set(Array.from({ length: 40 }, (_, i) => rankTiers(`alice.model-${i}`, tiers)[0]));
    expect(firsts.size).toBe(tiers.length);
  });

  it("places null replicas on every tier, in configuration order", () => {
    expect(placeDeployment("alice.resnet", tiers, allUp, null)).toEqual({
      tiers,
      replicas: null,
      note: null,
    });
  });

  it("places N replicas on the N best-ranked tiers", () => {
    const ranked = rankTiers("alice.resnet", tiers);
    expect(placeDeployment("alice.resnet", tiers, allUp, 2)).toEqual({
      tiers: ranked.slice(0, 2),
      replicas: 2,
      note: null,
    });
  });

  it("moves a replica off a down tier to the next one up, and only that replica", () => {
    const ranked = rankTiers("alice.resnet", tiers);
    const down = ranked[0]!;
    expect(placeDeployment("alice.resnet", tiers, (address) => address !== down, 2).tiers).toEqual([
      ranked[1],
      ranked[2],
    ]);
  });

  it("keeps down tiers in the placement when too few are up, and says so", () => {
    const ranked = rankTiers("alice.resnet", tiers);
    const up = new Set([ranked[3]]);
    expect(placeDeployment("alice.resnet", tiers, (address) => up.has(address), 2)).toEqual({
      tiers: [ranked[3], ranked[0]],
      replicas: 2,
      note: "only 1 of the 2 tiers it is placed on is up; it loads on the others when they return",
    });
  });

  it("puts a deployment asking for more replicas than there are tiers on all of them, and says so", () => {
    expect(placeDeployment("alice.resnet", tiers, allUp, 5)).toEqual({
      tiers: rankTiers("alice.resnet", tiers),
      replicas: 5,
      note: "replicas 5 asks for more tiers than the 4 configured (INFERENCE_URL); the deployment is on all of them",
    });
    expect(placeDeployment("alice.resnet", tiers, allUp, 4).note).toBeNull();
  });
});
