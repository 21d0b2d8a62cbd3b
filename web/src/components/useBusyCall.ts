// A dialog's call to the server: busy while it runs (the button shows it and is not clicked twice), its
// error kept to be shown in the dialog (not behind it), cleared when the call runs again. The reason
// dialog, the recovery collection and the action dialogs share it.
import { useState } from 'react';

export function useBusyCall() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  /** Runs `call`, then `done` with its answer; what either throws is kept as the error. */
  async function run<T>(call: () => Promise<T>, done: (answer: T) => void): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      done(await call());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, run, clearError: () => setError(null) };
}
