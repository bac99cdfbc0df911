import type { FormEvent, Ref } from "react";
import type { Problem } from "../api/problems";
import { BasicsSection } from "./basics-section";
import { ClassWeightsSection } from "./class-weights-section";
import type { ChosenDatasetVersion } from "./dataset-version-picker";
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
        {problemCount > 0 && (
          <p className="error-message" role="alert">
            {problemCount === 1 ? "One field needs" : `${problemCount} fields need`} a change before the job
            can start; each says what it expects.
          </p>
        )}
        {serverFieldProblemCount > 0 && (
          <p className="error-message" role="alert">
            The server refused the job: {serverFieldProblemCount === 1 ? "its reason is" : "its reasons are"}{" "}
            shown next to the {serverFieldProblemCount === 1 ? "field" : "fields"} concerned.
          </p>
        )}
        {otherProblems.length > 0 && (
          <div className="error-message" role="alert">
            {otherProblems.map((problem, index) => (
              <p key={index}>
                <span className="error-code">{problem.code}</span> {problem.message}
              </p>
            ))}
          </div>
        )}
        <div className="button-row">
          <button type="submit" className="primary" disabled={starting}>
            {starting ? "Starting…" : "Start training"}
          </button>
        </div>
      </div>
    </form>
  );
}
