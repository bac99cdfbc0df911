/** Where a reconstruction artifact is downloaded (signed per viewer through DownloadLinks). */
export const reconstructionArtifactPath = (artifactId: string) =>
  `/files/reconstruction-artifacts/${artifactId}`;
