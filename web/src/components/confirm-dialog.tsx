import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, type ReactNode } from 'react';
import { errorMessage } from '../api/client.ts';

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Danger styling for destructive actions. */
  danger?: boolean;
  /** The confirmed action; the dialog closes when it succeeds and shows its error when it fails. */
  onConfirm(): Promise<unknown>;
  onClose(): void;
}

/** A modal confirmation built on <dialog>, which traps focus and closes on Escape natively. */
export function ConfirmDialog({ open, title, children, confirmLabel, danger, onConfirm, onClose }: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const action = useMutation({ mutationFn: onConfirm, onSuccess: onClose });
  const { reset } = action;
  const busy = action.isPending;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      reset();
      dialog.showModal();
    } else if (!open && dialog.open) dialog.close();
  }, [open, reset]);

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="dialog-title" onClose={onClose}>
      <h2 id="dialog-title">{title}</h2>
      <div className="dialog-body">{children}</div>
      {action.error && (
        <p className="form-error" role="alert">
          {errorMessage(action.error)}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose} disabled={busy} autoFocus>
          Cancel
        </button>
        <button
          type="button"
          className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`}
          onClick={() => action.mutate()}
          disabled={busy}
        >
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
