import { formatStatistic } from "../drift/drift-test";

export interface ScoredVersion {
  versionId: string;
  version: string;
  accuracy: number;
  correct: number;
}

/** The held-out set both were scored on: where it came from, its size, the size a duel needs. */
export interface HeldOutSummary {
  source: string;
  count: number;
  minimum: number;
}

export interface PromotionDecision {
  heldOut: HeldOutSummary;
  champion: ScoredVersion | null;
  challenger: ScoredVersion;
  margin: number;
  /** The accuracy the challenger had to exceed; null without a champion to beat. */
  required: number | null;
  promoted: boolean;
  reason: string;
}

export interface DuelOutcome {
  heldOut: HeldOutSummary;
  /** Null when no version had the alias. */
  champion: ScoredVersion | null;
  /** Why the champion could not be scored (not ONNX, say); it then keeps the alias. */
  championError?: string;
  challenger: ScoredVersion;
  margin: number;
}

/**
 * The alias moves only when challenger accuracy > champion accuracy + margin, both measured on
 * the same held-out set of at least `heldOut.minimum` samples: "beat" is strict, so a tie keeps
 * the champion, and on a handful of images one lucky guess would decide. Without a champion the
 * alias is simply set, whatever the size; a champion that could not be scored keeps it, since the
 * challenger cannot be shown to win.
 */
export function decidePromotion(duel: DuelOutcome): PromotionDecision {
  const { champion, challenger, margin, heldOut } = duel;
  const base = { heldOut, champion, challenger, margin };
  const got = `challenger accuracy ${formatStatistic(challenger.accuracy)}`;
  if (duel.championError) {
    return {
      ...base,
      required: null,
      promoted: false,
      reason: `not promoted: the champion could not be evaluated (${duel.championError})`,
    };
  }
  if (!champion) {
    return { ...base, required: null, promoted: true, reason: `promoted: no version had the alias; ${got}` };
  }
  const required = champion.accuracy + margin;
  if (heldOut.count < heldOut.minimum) {
    return {
      ...base,
      required,
      promoted: false,
      reason: `not promoted: not enough held-out samples to decide (${heldOut.count}; needs ${heldOut.minimum})`,
    };
  }
  // Accuracies are ratios of counts: a rounding error must not turn a tie into a win.
  const promoted = challenger.accuracy > required + 1e-9;
  const against = `champion ${formatStatistic(champion.accuracy)} + margin ${margin}`;
  return {
    ...base,
    required,
    promoted,
    reason: promoted ? `promoted: ${got} > ${against}` : `not promoted: ${got} ≤ ${against}`,
  };
}
