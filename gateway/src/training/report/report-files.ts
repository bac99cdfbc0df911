import { Router, type Request, type Response } from "express";
import { notFound } from "../../errors";
import type { PrismaClient } from "../../generated/prisma/client";
import { viewerOf } from "../../http/downloads";
import { sendBlob } from "../../http/sample-files";
import { sendError } from "../../http/send-error";
import type { UrlSigner } from "../../http/url-signer";
import type { Logger } from "../../logger";
import type { BlobStore } from "../../storage/blob-store";
import type { UsersService } from "../../users/users.service";
import { reportVisibleTo } from "./report-access";
import { reportHtmlPath, reportJsonPath, reportPngPath, type StoredReport } from "./report-links";
import type { TrainingReportsService } from "./report.service";

interface ReportFileDeps {
  prisma: PrismaClient;
  store: BlobStore;
  users: UsersService;
  signer: UrlSigner;
  reports: TrainingReportsService;
  logger: Logger;
}

/**
 * Nothing in a report needs a script or anything from elsewhere; the policy makes the browser
 * hold it to that, so a label or a file name can never become active content on this origin.
 */
const reportPolicy = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox";

type FileOf = (
  report: StoredReport,
  req: Request,
) => { sha256: string; type: string; fileName: string } | null;

/**
 * The GETs behind TrainingJob.report: a signed link or a bearer token; whoever may open the
 * report (see canSeeReport), others get 404. Only reports already rendered are served: asking
 * TrainingJob.report renders one.
 */
export function trainingReportFileRoutes(deps: ReportFileDeps): Router {
  const router = Router();
  const serve = (path: (req: Request) => string, fileOf: FileOf) => async (req: Request, res: Response) => {
    try {
      const jobId = req.params.id as string;
      const viewer = await viewerOf(deps, req, path(req));
      const report = (await reportVisibleTo(deps.prisma, viewer, jobId))
        ? await deps.reports.storedReport(jobId)
        : null;
      const file = report && fileOf(report, req);
      if (!file) throw notFound(`Report of training job ${jobId}`);
      const stat = await deps.store.stat(file.sha256);
      if (!stat) throw notFound(`Report of training job ${jobId}`);
      res.setHeader("Content-Security-Policy", reportPolicy);
      res.setHeader("X-Content-Type-Options", "nosniff");
      res.setHeader("Content-Disposition", `inline; filename="${file.fileName}"`);
      await sendBlob(deps.store, req, res, {
        sha256: file.sha256,
        sizeBytes: stat.sizeBytes,
        type: file.type,
      });
    } catch (error) {
      sendError(res, error, deps.logger);
    }
  };
  router.get(
    "/files/training-jobs/:id/report.html",
    serve(
      (req) => reportHtmlPath(req.params.id as string),
      (report) => ({ sha256: report.html, type: "text/html; charset=utf-8", fileName: "report.html" }),
    ),
  );
  router.get(
    "/files/training-jobs/:id/report.json",
    serve(
      (req) => reportJsonPath(req.params.id as string),
      (report) => ({ sha256: report.json, type: "application/json; charset=utf-8", fileName: "report.json" }),
    ),
  );
  router.get(
    "/files/training-jobs/:id/report/:name.png",
    serve(
      (req) => reportPngPath(req.params.id as string, req.params.name as string),
      (report, req) => {
        const png = report.png.find((entry) => entry.name === req.params.name);
        return png ? { sha256: png.sha256, type: "image/png", fileName: `${png.name}.png` } : null;
      },
    ),
  );
  return router;
}
