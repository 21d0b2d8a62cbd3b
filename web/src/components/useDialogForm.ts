// The state of a page's action dialogs (edit, end, record a visit …): which dialog is open, its form,
// busy while the call runs, the call's error shown in the dialog, and on success a message, the dialog
// closed and the caller's refresh. Used by the person, enrolment and home-visit actions.
import { App, Form } from 'antd';
import { useState } from 'react';
import { useBusyCall } from './useBusyCall.ts';

export function useDialogForm<D>(afterDone: () => void) {
  const { message } = App.useApp();
  const [dialog, setDialog] = useState<D | null>(null);
  const call = useBusyCall();
  const [form] = Form.useForm();
  const close = () => {
    setDialog(null);
    call.clearError();
    form.resetFields();
  };
  /** Runs the dialog's call; the success message is `done`, or the text the call returns. */
  const run = (fn: () => Promise<unknown>, done?: string): Promise<void> =>
    call.run(fn, (r) => {
      void message.success(done ?? String(r));
      close();
      afterDone();
    });
  const { busy, error } = call;
  return { dialog, setDialog, busy, error, form, close, run };
}
