import { useCallback, useState } from 'react';
import { errorMessage } from '../api/client.ts';

/**
 * One user action (a form submit, a confirmation) at a time: whether it is running, and the message of
 * its last failure to show next to the control. `run` resolves to whether the action succeeded.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (action: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (err) {
      setError(errorMessage(err));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
