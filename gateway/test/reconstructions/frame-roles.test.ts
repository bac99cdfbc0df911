import { describe, expect, it } from "vitest";
import { frameRoles } from "../../src/reconstructions/frame-roles";

const train = (count: number) => Array<string>(count).fill("TRAIN");
const heldOutPositions = (roles: string[]) => roles.flatMap((role, i) => (role === "HELD_OUT" ? [i] : []));

describe("frameRoles", () => {
  it("holds out the scene's VAL and TEST frames and trains on the rest", () => {
    expect(frameRoles(["TRAIN", "VAL", "TRAIN", "TEST"])).toEqual(["TRAIN", "HELD_OUT", "TRAIN", "HELD_OUT"]);
  });

  it("holds out every 8th frame (0, 8, 16 …) of a scene without val/test", () => {
    expect(heldOutPositions(frameRoles(train(17)))).toEqual([0, 8, 16]);
    expect(heldOutPositions(frameRoles(train(10)))).toEqual([0, 8]);
  });

  it("trains on every frame when holding out would leave fewer than 8", () => {
    expect(frameRoles(train(8))).toEqual(train(8));
    // Positions 0 and 8 would leave 7.
    expect(frameRoles(train(9))).toEqual(train(9));
  });
});
