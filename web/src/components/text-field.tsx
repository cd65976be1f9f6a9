import { useId } from 'react';

interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'email';
  required?: boolean;
  /** Marks the label "(optional)" so people know they may leave it empty. */
  optional?: boolean;
}

/** A labelled single-line input; the label is tied to the input for screen readers and clicks. */
export function TextField({
  label,
  value,
  onChange,
  type = 'text',
  required = false,
  optional = false,
}: TextFieldProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {optional && (
          <>
            {' '}
            <span className="muted">(optional)</span>
          </>
        )}
      </label>
      <input id={id} type={type} required={required} value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}
