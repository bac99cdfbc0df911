import type { ReactNode } from "react";

/** A term and what it says, one row of a fact list. */
export type Fact = [term: string, value: ReactNode];

/** Facts as a definition list, each term beside its value. */
export function FactList({ facts }: { facts: Fact[] }) {
  return (
    <dl className="facts">
      {facts.map(([term, value]) => (
        <div key={term} className="fact">
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
