// 免申即享发放 asks once more before granting (the shared ConfirmDialog: focus on 确认发放).
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { useOutText } from './text.ts';

export function GrantDialog({
  count,
  schemeName,
  busy,
  onConfirm,
  onDismiss,
}: {
  count: number;
  schemeName: string;
  busy: boolean;
  onConfirm: () => void;
  onDismiss: () => void;
}) {
  const x = useOutText();
  return (
    <ConfirmDialog
      title={x('out.confirm.title')}
      body={x('out.confirm.body', { n: count, scheme: schemeName })}
      confirm={x('out.confirm.ok')}
      busyText={x('out.act.busy')}
      back={x('out.confirm.back')}
      busy={busy}
      onConfirm={onConfirm}
      onDismiss={onDismiss}
    />
  );
}
