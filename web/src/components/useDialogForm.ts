// The state of a page's action dialogs (edit, end, record a visit …): which dialog is open, its form,
// busy while the call runs, the call's error shown in the dialog, and on success a message, the dialog
// closed and the caller's refresh. Used by the person, enrolment and home-visit actions.
import { App, Form } from 'antd';
import { useState } from 'react';

export function useDialogForm<D>(afterDone: () => void) {
  const { message } = App.useApp();
  const [dialog, setDialog] = useState<D | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm();
  const close = () => {
    setDialog(null);
    setError(null);
    form.resetFields();
  };
  /** Runs the dialog's call; the success message is `done`, or the text the call returns. */
  async function run(fn: () => Promise<unknown>, done?: string): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const r = await fn();
      void message.success(done ?? String(r));
      close();
      afterDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return { dialog, setDialog, busy, error, form, close, run };
}
