import { useId } from "react";
import { formatScaleValue, scaleTicks, turboGradient } from "./turbo-colour-scale";

const gradient = turboGradient();

/** The depth preview's colours from the smallest value the model produced to the largest. */
export function ColourScaleLegend({ min, max }: { min: number; max: number }) {
  const id = useId();
  const span = max - min;
  const ticks = scaleTicks(min, max, 5);
  const low = formatScaleValue(min, span);
  const high = formatScaleValue(max, span);
  if (!(span > 0)) {
    return (
      <p className="muted" id={id}>
        The map is flat: every pixel has the depth value {low}, drawn in the scale&apos;s first colour.
      </p>
    );
  }
  return (
    <figure className="colour-scale" aria-labelledby={`${id}-caption`}>
      <div
        className="colour-scale-bar"
        style={{ backgroundImage: gradient }}
        role="img"
        aria-label={`Turbo colour scale: dark blue is ${low}, green-yellow the middle, dark red ${high}`}
      />
      <ol className="colour-scale-ticks" aria-label="Values along the scale">
        {ticks.map((tick, index) => (
          <li key={index} style={{ left: `${(index / (ticks.length - 1)) * 100}%` }}>
            {formatScaleValue(tick, span)}
          </li>
        ))}
      </ol>
      <figcaption id={`${id}-caption`}>
        Depth as the model output it, from {low} (smallest) to {high} (largest)
      </figcaption>
    </figure>
  );
}
