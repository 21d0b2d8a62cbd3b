// The dialog that asks for a reason before a decision (a case refused, an account disabled, a prepared
// action returned): the reason required, its length the server's, the button busy while the call runs,
// the server's refusal shown in the dialog (not behind it), and the text gone once the dialog closes.
// Three pages had their own copies: one closed on a failure, one could be clicked twice.
import { Alert, Input, Modal } from 'antd';
import { useId, useState, type ReactNode } from 'react';
import { useI18n } from '../i18n/index.tsx';
import { ErrorAlert } from './common.tsx';
import { useBusyCall } from './useBusyCall.ts';

export interface ReasonDialogProps {
  open: boolean;
  title: string;
  /** the decision's button (不予受理, 停用, 退回) */
  okText: string;
  /** the field's label, read by a screen reader as the box's name */
  label: string;
  hint?: ReactNode;
  danger?: boolean;
  /** the server's bounds on the trimmed reason (its route schema's minLength and maxLength) */
  minLength: number;
  maxLength: number;
  /** sends the trimmed reason; the dialog closes when it resolves and shows the error when it throws */
  onSubmit: (reason: string) => Promise<unknown>;
  onClose: () => void;
}

export function ReasonDialog({
  open,
  title,
  okText,
  label,
  hint,
  danger = false,
  minLength,
  maxLength,
  onSubmit,
  onClose,
}: ReasonDialogProps) {
  const { t } = useI18n();
  const id = useId();
  const [reason, setReason] = useState('');
  const { busy, error, run, clearError } = useBusyCall();
  const short = reason.trim().length < minLength;

  async function submit() {
    if (short || busy) return;
    await run(() => onSubmit(reason.trim()), onClose);
  }

  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      cancelText={t('action.cancel')}
      okButtonProps={{ danger, disabled: short, loading: busy }}
      cancelButtonProps={{ disabled: busy }}
      onOk={() => void submit()}
      // the close button, Esc and the mask too: while the call runs the dialog stays to show its answer
      onCancel={() => {
        if (!busy) onClose();
      }}
      afterClose={() => {
        setReason('');
        clearError();
      }}
      destroyOnHidden
    >
      {hint ? <p>{hint}</p> : null}
      <label htmlFor={id}>{label}</label>
      <Input.TextArea
        id={id}
        value={reason}
        maxLength={maxLength}
        showCount
        autoSize={{ minRows: 2, maxRows: 6 }}
        aria-required
        onChange={(e) => setReason(e.target.value)}
      />
      {short ? (
        <Alert
          type="info"
          style={{ marginTop: 24 }}
          title={minLength > 1 ? t('reason.required.min', { n: minLength }) : t('reason.required')}
        />
      ) : null}
      <div style={{ marginTop: 16 }}>
        <ErrorAlert error={error} />
      </div>
    </Modal>
  );
}
