// 长护险结算 (/workbench/care/claims, issue 8 §6): the monthly LTCI claims by month, with their
// status and figures; a provider (or an officer, naming the provider) builds a month's claim from
// the finished visits once the month is over — the server settles every visit, prices it by the
// dated parameters, splits fund and personal shares and draws the insurer's review sample.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { todayLocalDate } from '../../components/EntitlementResult.tsx';
import { usePageTitle } from '../../prefs.tsx';
import { useUser } from '../auth.tsx';
import { useLoad, yuanText } from '../supply/shared.tsx';
import { careApi, CLAIM_STATUS_NAMES, may, monthName, pastMonths } from './api.ts';
import { CareGate } from './CareNav.tsx';
import { CareHeader, ProviderSelect, ServerProblem, useProviders } from './shared.tsx';

const MONTHS_SHOWN = 12;

export function ClaimsPage() {
  return (
    <CareGate tab="claims">
      <ClaimsBody />
    </CareGate>
  );
}

function ClaimsBody() {
  usePageTitle('长护险结算');
  const user = useUser();
  const [sp, setSp] = useSearchParams();
  const months = pastMonths(todayLocalDate(), MONTHS_SHOWN);
  const month = sp.get('month') ?? '';
  const ids = { month: useId(), list: useId() };
  const [load, reload] = useLoad((s) => careApi.claims(month ? { month } : {}, s), [month]);
  return (
    <>
      <CareHeader title="照护服务">
        <p>
          服务机构每月按上门服务记录申报长护险结算：每条服务按结算规则核定时长与金额，分为基金支付和个人自付。医保经办审核时，风险分超过阈值的服务全部抽查，其余按比例随机抽查。
        </p>
      </CareHeader>
      <h2 className="h-small">长护险结算</h2>
      {may(user.role, 'care.claims.submit') && <BuildForm months={months} />}
      <section aria-labelledby={ids.list}>
        <h3 id={ids.list}>结算申报</h3>
        <div className="care-inline-form">
          <div className="field">
            <label htmlFor={ids.month}>结算月份</label>
            <select id={ids.month} value={month} onChange={(e) => setSp(e.target.value ? { month: e.target.value } : {})}>
              <option value="">全部月份</option>
              {months.map((m) => (
                <option key={m} value={m}>
                  {monthName(m)}
                </option>
              ))}
            </select>
          </div>
        </div>
        {load.status !== 'ok' ? (
          <LoadStatus load={load} loadingText="正在读取结算申报…" failedTitle="无法读取结算申报" onRetry={reload} />
        ) : load.data.items.length === 0 ? (
          <p className="empty">{month ? `${monthName(month)}没有结算申报。` : '还没有结算申报。'}</p>
        ) : (
          <div className="table-scroll" role="region" aria-labelledby={ids.list} tabIndex={0}>
            <table className="data-table" data-testid="care-claims">
              <thead>
                <tr>
                  <th scope="col">月份</th>
                  <th scope="col">服务机构</th>
                  <th scope="col">状态</th>
                  <th scope="col" className="num">
                    明细
                  </th>
                  <th scope="col" className="num">
                    抽查
                  </th>
                  <th scope="col" className="num">
                    申报金额
                  </th>
                  <th scope="col" className="num">
                    核准金额
                  </th>
                </tr>
              </thead>
              <tbody>
                {load.data.items.map((c) => (
                  <tr key={c.id} data-claim={c.id}>
                    <th scope="row">
                      <Link to={`/workbench/care/claims/${c.id}`}>{monthName(c.month)}</Link>
                    </th>
                    <td>{c.providerName}</td>
                    <td>{CLAIM_STATUS_NAMES[c.status] ?? c.status}</td>
                    <td className="num">{c.totals.lines}</td>
                    <td className="num">{c.totals.sampled}</td>
                    <td className="num">{yuanText(c.totals.claimedFen)}</td>
                    <td className="num">{c.status === 'in_review' ? '审核中' : yuanText(c.totals.approvedFen)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function BuildForm({ months }: { months: string[] }) {
  const providers = useProviders();
  const navigate = useNavigate();
  const ids = { title: useId(), month: useId(), provider: useId() };
  const [month, setMonth] = useState(months[0] ?? '');
  const [providerId, setProviderId] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setMonth((m) => m || months[0] || ''), [months.join()]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (providers !== null && !providerId) {
      setProblem('请选择服务机构');
      document.getElementById(ids.provider)?.focus();
      return;
    }
    setProblem(null);
    setError(null);
    setBusy(true);
    try {
      const c = await careApi.buildClaim({ month, ...(providerId ? { providerId } : {}) });
      navigate(`/workbench/care/claims/${c.id}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card section-card" onSubmit={submit} noValidate aria-labelledby={ids.title} data-testid="care-claim-build">
      <h3 id={ids.title}>生成月度申报</h3>
      <p>按所选月份已完成的长护险上门服务生成申报，并提交医保审核。每家机构每月只能申报一次；当月结束后才能申报。</p>
      {error !== null && <ServerProblem error={error} title="没有生成申报" />}
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      <div className="care-inline-form">
        <ProviderSelect id={ids.provider} value={providerId} onChange={setProviderId} providers={providers} />
        <div className="field">
          <label htmlFor={ids.month}>申报月份</label>
          <select id={ids.month} value={month} onChange={(e) => setMonth(e.target.value)}>
            {months.map((m) => (
              <option key={m} value={m}>
                {monthName(m)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
          {busy ? '正在生成…' : '生成并提交申报'}
        </button>
      </div>
    </form>
  );
}
