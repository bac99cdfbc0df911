import { LearningRateSchedule, Optimizer, type TrainingOptionsFieldsFragment } from "../gql/graphql";
import { FactList, type Fact } from "../ui/fact-list";
import { formatEnum } from "../ui/format";
import { monitorLabels } from "./monitor-labels";

type Options = TrainingOptionsFieldsFragment;

/** The options the job ran with, defaults filled in by the server, folded away until asked for. */
export function JobOptions({ options }: { options: Options }) {
  const yes = (value: boolean) => (value ? "Yes" : "No");
  const facts: Fact[] = [
    ["Epochs", options.epochs],
    ["Batch size", options.batchSize],
    ["Validation split", options.validationSplit],
    ["Seed", options.seed],
    ["Feature output", options.featureOutput ?? "chosen by the tier"],
    ["Hidden layers × units", `${options.trainableLayersCount} × ${options.hiddenUnits}`],
    ["Dropout", options.dropout],
    ["Optimizer", options.optimizer === Optimizer.Sgd ? `SGD, momentum ${options.momentum}` : "Adam"],
    ["Learning rate", options.learningRate],
    ["Weight decay", options.weightDecay],
    ["Schedule", schedule(options)],
    ["Monitored metric", monitorLabels[options.monitor]],
    [
      "Early stopping",
      options.enableEarlyStopping
        ? `after ${options.patience} epochs without a change of ${options.minDelta}`
        : "No",
    ],
    ["Augmentation", options.enableDataAugmentation ? `${options.augmentedCopies} copies per image` : "No"],
    ["Class weighting", formatEnum(options.classWeighting)],
  ];
  if (options.classWeights.length > 0) {
    facts.push([
      "Class weights",
      options.classWeights.map((entry) => `${entry.label} ${entry.weight}`).join(", "),
    ]);
  }
  facts.push(["Hyperparameter search", yes(options.enableHyperparameterTuning)]);
  if (options.enableHyperparameterTuning) {
    facts.push(
      ["Strategy", formatEnum(options.strategy)],
      ["Max trials", `${options.maxTrials}${options.pruneTrials ? ", poor trials pruned" : ""}`],
      ["Search space", <SearchSpace key="space" space={options.hpSpace} />],
    );
  }
  return (
    <details className="job-options">
      <summary>Options this job ran with</summary>
      <FactList facts={facts} />
    </details>
  );
}

function schedule(options: Options): string {
  switch (options.lrSchedule) {
    case LearningRateSchedule.Step:
      return `Step: × ${options.lrGamma} every ${options.lrStepSize} epochs`;
    case LearningRateSchedule.OnPlateau:
      return `On plateau: × ${options.lrPlateauFactor} after ${options.lrPlateauPatience} epochs without improvement`;
    case LearningRateSchedule.Cosine:
      return "Cosine decay to 0";
    default:
      return "Constant";
  }
}

function SearchSpace({ space }: { space: Options["hpSpace"] }) {
  return (
    <ul className="plain-list">
      {space.map((dimension) => (
        <li key={dimension.name}>
          <code>{dimension.name}</code>{" "}
          {dimension.choices
            ? dimension.choices.join(" or ")
            : dimension.values
              ? `one of ${dimension.values.join(", ")}`
              : `${dimension.min} to ${dimension.max}${dimension.logScale ? " (log scale)" : ""}`}
        </li>
      ))}
    </ul>
  );
}
