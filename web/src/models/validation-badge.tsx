import { ValidationState } from "../gql/graphql";
import { StateBadge, type BadgeTone } from "../ui/state-badge";

const tones: Record<ValidationState, BadgeTone> = {
  [ValidationState.Valid]: "good",
  [ValidationState.Unchecked]: "neutral",
  [ValidationState.Invalid]: "bad",
};

export function ValidationBadge({ validation }: { validation: ValidationState }) {
  return <StateBadge state={validation} tone={tones[validation]} />;
}
