import { useId, type ButtonHTMLAttributes } from 'react';

interface GuardedButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  /** Why the user may not use this control; the button is disabled and the reason shown when set. */
  reason: string | null;
}

/** A button that, when the role forbids it, stays visible but disabled with its reason next to it. */
export function GuardedButton({ reason, className = 'btn', children, ...rest }: GuardedButtonProps) {
  const hintId = useId();
  if (!reason)
    return (
      <button type="button" className={className} {...rest}>
        {children}
      </button>
    );
  return (
    <span className="guarded">
      <button type="button" className={className} {...rest} disabled aria-describedby={hintId} title={reason}>
        {children}
      </button>
      <span className="hint" id={hintId}>
        {reason}
      </span>
    </span>
  );
}
