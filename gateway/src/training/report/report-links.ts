/** Where a training job's report files are served (signed, like every download). */
export const reportHtmlPath = (jobId: string) => `/files/training-jobs/${jobId}/report.html`;
export const reportJsonPath = (jobId: string) => `/files/training-jobs/${jobId}/report.json`;
export const reportPngPath = (jobId: string, name: string) =>
  `/files/training-jobs/${jobId}/report/${encodeURIComponent(name)}.png`;

/** TrainingJob.report as stored: the sha256 of each file in the blob store. */
export interface StoredReport {
  html: string;
  json: string;
  png: Array<{ name: string; sha256: string }>;
  generatedAt: string;
}

export function isStoredReport(value: unknown): value is StoredReport {
  if (!value || typeof value !== "object") return false;
  const report = value as Partial<StoredReport>;
  return typeof report.html === "string" && typeof report.json === "string" && Array.isArray(report.png);
}
