// 长护险照护 on the person page (issue 8 §2; roles with care.read): the person's LTCI home-care
// entitlement (grade, hours a week, cap, validity), their care plans with status, and for the
// roles that draft plans a link to the plan page for this person.
import { useId } from 'react';
import { Link } from 'react-router';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { useUser } from '../auth.tsx';
import { useLoad } from '../supply/shared.tsx';
import { careApi, may, PLAN_STATUS_NAMES, weekdayName } from './api.ts';

export function PersonCare({ personId }: { personId: string }) {
  const user = useUser();
  if (!may(user.role, 'care.read') || user.role === 'citizen') return null;
  return <PersonCareCard personId={personId} />;
}

function PersonCareCard({ personId }: { personId: string }) {
  const user = useUser();
  const id = useId();
  const [load, reload] = useLoad(async (s) => {
    const [e, plans] = await Promise.all([careApi.entitlement(personId, s), careApi.plans({ personId }, s)]);
    return { e, plans: plans.items };
  }, [personId]);
  return (
    <section className="card section-card" aria-labelledby={id} data-testid="care-person-card">
      <h2 id={id}>长护险照护</h2>
      {load.status !== 'ok' ? (
        <LoadStatus load={load} loadingText="正在读取长护险照护…" failedTitle="无法读取长护险照护" onRetry={reload} />
      ) : (
        <>
          {!load.data.e.entitlement ? (
            <p>没有这位老人的长护险待遇信息。</p>
          ) : load.data.e.entitlement.eligible ? (
            <p data-testid="care-person-entitlement">
              照护等级 {load.data.e.entitlement.grade} 级，长护险居家照护每周 {load.data.e.entitlement.hoursPerWeek} 小时（上限 {load.data.e.capMinutes} 分钟），等级有效期{' '}
              {load.data.e.entitlement.gradeValidFrom ?? '—'} 至 {load.data.e.entitlement.gradeValidTo ?? '—'}。
            </p>
          ) : (
            <p data-testid="care-person-entitlement">目前不符合长护险居家照护待遇条件：{load.data.e.entitlement.reason ?? '未达到条件'}。</p>
          )}
          {load.data.plans.length === 0 ? (
            <p className="empty">还没有照护计划。</p>
          ) : (
            <ul>
              {load.data.plans.map((p) => (
                <li key={p.id} data-plan={p.id}>
                  {p.providerName}：{PLAN_STATUS_NAMES[p.status] ?? p.status}，每周 {p.weeklyMinutes} 分钟（{p.slots.map((s) => `${weekdayName(s.weekday)} ${s.start}`).join('、')}），{p.validFrom} 至 {p.validTo}
                </li>
              ))}
            </ul>
          )}
          <p>
            <Link to={`/workbench/care/plans?person=${personId}`}>
              {may(user.role, 'care.manage') && load.data.e.entitlement?.eligible ? '拟定照护计划' : '查看照护计划'}
            </Link>
          </p>
        </>
      )}
    </section>
  );
}
