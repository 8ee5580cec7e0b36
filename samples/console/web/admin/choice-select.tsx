/** One option of a {@link ChoiceSelect}: its value, its words, and whether it is offered. */
export type Choice = readonly [value: string, label: string, disabled?: boolean];

/**
 * An uncontrolled `<select>` that starts on `initial`. Preact has no `defaultValue` for selects,
 * so the starting option is marked `selected`; what the administrator picks then stays theirs.
 */
export function ChoiceSelect(props: {
  readonly id: string;
  readonly name: string;
  readonly initial: string;
  readonly choices: readonly Choice[];
}) {
  return (
    <select id={props.id} name={props.name}>
      {props.choices.map(([value, label, disabled]) => (
        <option key={value} value={value} selected={value === props.initial} disabled={disabled}>
          {label}
        </option>
      ))}
    </select>
  );
}
