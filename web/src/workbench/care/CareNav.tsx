// The 照护服务 pages' own navigation (one entry in the workbench navigation, these tabs under it):
// 护理员信息库, 照护计划, 上门工单, 回访, 长护险结算 — each shown only to the roles whose permission
// the page needs (the server's table). /workbench/care goes to the first page the role may see;
// a page a role may not see answers 页面不存在 (CareGate).
import type { ReactNode } from 'react';
import { Navigate, NavLink } from 'react-router';
import type { Role } from '../../api.ts';
import { useUser } from '../auth.tsx';
import { NotFoundPage } from '../NotFoundPage.tsx';
import { may } from './api.ts';
import './care.css';

export type CareTab = 'caregivers' | 'plans' | 'orders' | 'callbacks' | 'claims';

const TABS: { key: CareTab; name: string; visible: (r: Role) => boolean }[] = [
  { key: 'caregivers', name: '护理员信息库', visible: (r) => may(r, 'care.caregivers.read') },
  { key: 'plans', name: '照护计划', visible: (r) => may(r, 'care.read') && r !== 'citizen' },
  { key: 'orders', name: '上门工单与排班', visible: (r) => may(r, 'care.read') && r !== 'citizen' },
  { key: 'callbacks', name: '回访', visible: (r) => may(r, 'care.verify') },
  { key: 'claims', name: '长护险结算', visible: (r) => may(r, 'care.read') && r !== 'citizen' },
];

export const careTabVisible = (role: Role, tab: CareTab): boolean => TABS.find((t) => t.key === tab)?.visible(role) ?? false;

/** /workbench/care: the first page the role may see. */
export function CareIndex() {
  const user = useUser();
  const first = TABS.find((t) => t.visible(user.role));
  return first ? <Navigate to={`/workbench/care/${first.key}`} replace /> : <NotFoundPage home="/workbench" />;
}

/** The page when the role may see `tab`, else 页面不存在. */
export function CareGate({ tab, children }: { tab: CareTab; children: ReactNode }) {
  const user = useUser();
  if (!careTabVisible(user.role, tab)) return <NotFoundPage home="/workbench" />;
  return <>{children}</>;
}

export function CareNav() {
  const user = useUser();
  return (
    <nav aria-label="照护服务分页" className="sup-tabs care-tabs">
      <ul role="list">
        {TABS.filter((t) => t.visible(user.role)).map((t) => (
          <li key={t.key}>
            <NavLink to={`/workbench/care/${t.key}`}>{t.name}</NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
