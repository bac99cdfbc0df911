export const reconstructionsPath = "/reconstructions";
export const newReconstructionPath = "/reconstructions/new";
export const reconstructionPath = (reconstructionId: string) =>
  `/reconstructions/${encodeURIComponent(reconstructionId)}`;
