import type { FormEvent, Ref } from "react";
import type { Problem } from "../api/problems";
import { BasicsSection } from "./basics-section";
import { ClassWeightsSection } from "./class-weights-section";
import type { ChosenDatasetVersion } from "./dataset-version-picker";
import { FormProblems } from "./form-problems";
import type { FormSectionProps } from "./form-section";
import { AugmentationSection, EarlyStoppingSection, HeadSection, OptimizerSection } from "./option-sections";
import { SearchSection } from "./search-section";

export interface StartTrainingFormProps extends FormSectionProps {
  chosenDatasetVersion: ChosenDatasetVersion | null;
  /** Problems the form found, once a submit was tried. */
  problemCount: number;
  /** How many of the server's problems are shown next to their fields. */
  serverFieldProblemCount: number;
  /** The server's problems that belong to no field. */
  otherProblems: Problem[];
  starting: boolean;
  onSubmit(): void;
  ref?: Ref<HTMLFormElement>;
}

/** Every option of TrainingInput, grouped as a person thinks of them. */
export function StartTrainingForm({
  chosenDatasetVersion,
  problemCount,
  serverFieldProblemCount,
  otherProblems,
  starting,
  onSubmit,
  ref,
  ...section
}: StartTrainingFormProps) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  const classes = chosenDatasetVersion?.classes.map((entry) => entry.name) ?? null;
  return (
    <form ref={ref} className="training-form" onSubmit={submit} noValidate aria-label="Start a training job">
      <BasicsSection {...section} chosenDatasetVersion={chosenDatasetVersion} />
      <HeadSection {...section} />
      <OptimizerSection {...section} />
      <EarlyStoppingSection {...section} />
      <AugmentationSection {...section} />
      <ClassWeightsSection {...section} classes={classes} />
      <SearchSection {...section} />
      <div className="form-footer">
        <FormProblems
          subject="job"
          outcome="can start"
          problemCount={problemCount}
          serverFieldProblemCount={serverFieldProblemCount}
          otherProblems={otherProblems}
        />
        <div className="button-row">
          <button type="submit" className="primary" disabled={starting}>
            {starting ? "Starting…" : "Start training"}
          </button>
        </div>
      </div>
    </form>
  );
}
