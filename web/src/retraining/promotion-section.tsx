import { NumberField, TextField } from "../training/option-fields";
import type { PolicySectionProps } from "./triggers-section";

/** When a challenger replaces the champion, and how long the policy rests after firing. */
export function PromotionSection({ form, onChange, onTouched, messages }: PolicySectionProps) {
  return (
    <fieldset className="form-section">
      <legend>Promotion and cooldown</legend>
      <p className="hint">
        The new version (challenger) and the one behind the alias (champion) are evaluated on the same
        held-out set; the alias moves only when the challenger wins by the margin.
      </p>
      <div className="form-grid form-grid-3">
        <TextField
          name="promote.alias"
          label="Alias to move"
          required
          value={form.alias}
          message={messages["promote.alias"]}
          onChange={(alias) => onChange({ alias })}
          onTouched={onTouched}
        />
        <NumberField
          name="promote.mustBeatChampionBy"
          label="Must beat the champion by"
          hint="Accuracy from 0 to 1 (0.01 is one percentage point); 0 promotes any challenger more accurate than the champion"
          value={form.mustBeatChampionBy}
          message={messages["promote.mustBeatChampionBy"]}
          onChange={(mustBeatChampionBy) => onChange({ mustBeatChampionBy })}
          onTouched={onTouched}
        />
        <NumberField
          name="cooldown"
          label="Cooldown (hours)"
          hint="After firing, the policy does not fire again for this long: 0 to 8,760 (a year)"
          value={form.cooldownHours}
          message={messages.cooldown}
          onChange={(cooldownHours) => onChange({ cooldownHours })}
          onTouched={onTouched}
        />
      </div>
    </fieldset>
  );
}
