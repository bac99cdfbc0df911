import { useId } from "react";
import type { TrainingPairsOverviewQuery } from "../gql/graphql";
import { formatDateTime, formatNumber } from "../ui/format";

type Stats = TrainingPairsOverviewQuery["trainingPairStats"];

/** The counts over every pair the viewer can see, whatever the list below is filtered by. */
export function PairStats({ stats }: { stats: Stats }) {
  const id = useId();
  const figures: Array<[string, string]> = [
    ["Pairs", formatNumber(stats.pairs)],
    ["Images", formatNumber(stats.images)],
    ["Sessions", formatNumber(stats.sessions)],
    ["Unique instructions", formatNumber(stats.uniqueInstructions)],
    ["Latest pair", stats.latest ? formatDateTime(stats.latest) : "None yet"],
  ];
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="visually-hidden">
        Statistics
      </h2>
      <dl className="stat-cards">
        {figures.map(([name, value]) => (
          <div key={name} className="stat-card">
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
