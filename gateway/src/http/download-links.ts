import type { UrlSigner } from "./url-signer";
import { artifactPath } from "../inference/artifacts";
import { trainingPairImagePath, trainingPairsExportPath } from "../training-pairs/training-pair-links";
import type { PairSide } from "../training-pairs/training-pair-metadata";

export const modelFilePath = (versionId: string, filePath: string) =>
  `/files/model-versions/${versionId}/files/${filePath.split("/").map(encodeURIComponent).join("/")}`;
export const modelArchivePath = (versionId: string) => `/files/model-versions/${versionId}.zip`;
export const sampleImagePath = (sampleId: string) => `/files/samples/${sampleId}/image`;
export const sampleThumbnailPath = (sampleId: string) => `/files/samples/${sampleId}/thumbnail`;
export const sceneFrameImagePath = (frameId: string) => `/files/scene-frames/${frameId}/image`;
export const sceneFrameThumbnailPath = (frameId: string) => `/files/scene-frames/${frameId}/thumbnail`;

/** Absolute, signed download URLs for one request's viewer. */
export class DownloadLinks {
  constructor(
    private readonly signer: UrlSigner,
    private readonly baseUrl: string,
    private readonly userId: string | null,
  ) {}

  /** Any download path of the gateway, signed for this viewer (modules keep their own paths). */
  signedUrl(path: string): string {
    return this.baseUrl + this.signer.sign(path, this.userId);
  }

  fileUrl(versionId: string, filePath: string): string {
    return this.baseUrl + this.signer.sign(modelFilePath(versionId, filePath), this.userId);
  }

  artifactUrl(id: string): string {
    return this.baseUrl + this.signer.sign(artifactPath(id), this.userId);
  }

  versionArchiveUrl(versionId: string): string {
    return this.baseUrl + this.signer.sign(modelArchivePath(versionId), this.userId);
  }

  sampleImageUrl(sampleId: string): string {
    return this.baseUrl + this.signer.sign(sampleImagePath(sampleId), this.userId);
  }

  sampleThumbnailUrl(sampleId: string): string {
    return this.baseUrl + this.signer.sign(sampleThumbnailPath(sampleId), this.userId);
  }

  sceneFrameImageUrl(frameId: string): string {
    return this.baseUrl + this.signer.sign(sceneFrameImagePath(frameId), this.userId);
  }

  sceneFrameThumbnailUrl(frameId: string): string {
    return this.baseUrl + this.signer.sign(sceneFrameThumbnailPath(frameId), this.userId);
  }

  trainingPairImageUrl(pairId: string, side: PairSide): string {
    return this.baseUrl + this.signer.sign(trainingPairImagePath(pairId, side), this.userId);
  }

  trainingPairsExportUrl(): string {
    return this.baseUrl + this.signer.sign(trainingPairsExportPath, this.userId);
  }
}
