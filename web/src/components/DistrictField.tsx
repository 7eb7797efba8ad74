import { useId } from 'react';

/** A filter's district choice: the first option (empty value) means all districts. */
export function DistrictField({
  label,
  allLabel,
  districts,
  value,
  onChange,
}: {
  label: string;
  allLabel: string;
  districts: readonly { code: string; name: string }[];
  value: string;
  onChange: (code: string) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{allLabel}</option>
        {districts.map((d) => (
          <option key={d.code} value={d.code}>
            {d.name}
          </option>
        ))}
      </select>
    </div>
  );
}
