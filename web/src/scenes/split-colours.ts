/** Colours per split, shared by the frames grid's badges and the cameras' pyramids. */
export const SPLIT_COLOURS: Record<string, string> = {
  TRAIN: "#1f5fbf",
  VAL: "#b35c00",
  TEST: "#1a7f37",
};
