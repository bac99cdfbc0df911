import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import { badInput } from "../../errors";
import type { RequestContext } from "../../graphql/context";
import { checkLength, checkRange, limitNotes, limits } from "../../limits";
import { visibleDatasetVersion } from "../training-lineage";
import { TrainingJob } from "../training.types";
import type { Monitor } from "../training-contracts";
import { finalMetricOf } from "./final-metric";
import { mayOpenReport } from "./report-access";
import { reportHtmlPath, reportJsonPath, reportPngPath } from "./report-links";
import { EvaluationSplit, FinalMetric, MisclassifiedSample, TrainingReport } from "./report.types";
import { maxStoredSampleResults } from "../worker/sample-results";
import { cellSamples, sampleResults } from "./sample-results";

@Resolver(() => TrainingJob)
export class TrainingReportResolver {
  @FieldResolver(() => FinalMetric, {
    nullable: true,
    description:
      "The monitored metric (options.monitor) of the best succeeded trial at its best epoch: what picked the exported model; null until a trial succeeded",
  })
  async finalMetric(@Root() job: TrainingJob, @Ctx() ctx: RequestContext) {
    const trials = await ctx.loaders.trainingTrialsByJobId.load(job.id);
    return finalMetricOf(trials, job.options.monitor as Monitor);
  }

  @FieldResolver(() => [MisclassifiedSample], {
    description: `The evaluated samples of one confusion-matrix cell of one split (true label \`actual\`, predicted \`predicted\`), worst first: the most confident mistakes, or on the diagonal the least confident right answers. From the final evaluation's per-sample results (at most ${maxStoredSampleResults} kept per split: every mistake first). Empty when the job has none, or you may not see its dataset. Labels of more than ${limits.nameLength} characters, or not among the job's, are BAD_USER_INPUT.`,
  })
  async misclassified(
    @Root() job: TrainingJob,
    @Ctx() ctx: RequestContext,
    @Arg("actual", () => String, { description: limitNotes.name }) actual: string,
    @Arg("predicted", () => String, { description: limitNotes.name }) predicted: string,
    @Arg("first", () => Int, { defaultValue: 50, description: `1 to ${limits.pageSize}` }) first: number,
    @Arg("split", () => EvaluationSplit, { defaultValue: EvaluationSplit.VALIDATION })
    split: EvaluationSplit,
  ): Promise<MisclassifiedSample[]> {
    checkRange("first", first, 1, limits.pageSize);
    const actualIndex = labelIndex(job.labels, actual, "actual");
    const predictedIndex = labelIndex(job.labels, predicted, "predicted");
    if (!job.datasetVersionId || !(await visibleDatasetVersion(ctx, job.datasetVersionId))) return [];
    const stored = await ctx.loaders.trainingSampleResultsByJobId.load(job.id);
    const cell = cellSamples(sampleResults(stored, split), actualIndex, predictedIndex, first);
    const versionId = job.datasetVersionId;
    const samples = await ctx.loaders.versionSample.loadMany(
      cell.map((result) => ({ versionId, sampleId: result.sampleId })),
    );
    return cell.flatMap((result, index) => {
      const sample = samples[index];
      if (!sample || sample instanceof Error) return [];
      return [{ sample, actual, predicted, confidence: result.confidence, split }];
    });
  }

  @FieldResolver(() => TrainingReport, {
    nullable: true,
    description:
      "Rendered the first time it is asked for once the job SUCCEEDED, then kept; null before that, and for viewers who may not see the job's dataset version (the report shows its images)",
  })
  async report(@Root() job: TrainingJob, @Ctx() ctx: RequestContext): Promise<TrainingReport | null> {
    const dataset = job.datasetVersionId ? await visibleDatasetOwnership(ctx, job.datasetVersionId) : null;
    // The job itself was resolved through its visibility check.
    if (!mayOpenReport(ctx.viewer, job.ownerId, dataset)) return null;
    const report = await ctx.services.trainingReports.reportOf(job.id);
    if (!report) return null;
    return {
      htmlUrl: ctx.downloads.signedUrl(reportHtmlPath(job.id)),
      jsonUrl: ctx.downloads.signedUrl(reportJsonPath(job.id)),
      pngUrls: report.png.map((png) => ctx.downloads.signedUrl(reportPngPath(job.id, png.name))),
      generatedAt: new Date(report.generatedAt),
    };
  }
}

function labelIndex(labels: readonly string[], label: string, field: string): number {
  // Checked before it is echoed in the message below.
  checkLength(field, label, limits.nameLength);
  const index = labels.indexOf(label);
  if (index < 0) {
    const listed = labels.length <= 50 ? `: ${labels.join(", ")}` : ` (${labels.length} labels)`;
    throw badInput(`${field} "${label}" is not a label of this training job${listed}`, { field });
  }
  return index;
}

/** The dataset's ownership when its version still exists (visibility is decided by canSeeReport). */
async function visibleDatasetOwnership(ctx: RequestContext, versionId: string) {
  const version = await ctx.loaders.datasetVersionById.load(versionId);
  const dataset = version && (await ctx.loaders.datasetById.load(version.datasetId));
  return dataset ? { ownerId: dataset.ownerId, isPublic: dataset.isPublic } : null;
}
