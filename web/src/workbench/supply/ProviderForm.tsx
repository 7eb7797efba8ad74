// 登记本机构: a provider account's first step — name, 统一社会信用代码 (checked by the server, its
// reason shown by the field), legal representative, kind and phone.
import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../../api.ts';
import { errorText } from '../../format.ts';
import { usePrefs } from '../../prefs.tsx';
import { PROVIDER_KIND_NAMES, PROVIDER_KINDS, supplyApi, type Provider, type ProviderKind } from './api.ts';
import { Field, focusFirst, ProblemSummary, serverProblems, type Problems } from './FormBits.tsx';

const ORDER = ['name', 'uscc', 'legalRepresentative', 'kind', 'phone'];

export function ProviderForm({ onDone }: { onDone: (p: Provider) => void }) {
  const { t } = usePrefs();
  const form = useId().replace(/:/g, '');
  const [name, setName] = useState('');
  const [uscc, setUscc] = useState('');
  const [rep, setRep] = useState('');
  const [kind, setKind] = useState<ProviderKind>('enterprise');
  const [phone, setPhone] = useState('');
  const [problems, setProblems] = useState<Problems>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const p: Problems = {};
    if (name.trim().length < 2) p.name = '请填写机构名称。';
    if (!uscc.trim()) p.uscc = '请填写统一社会信用代码（18 位）。';
    if (!rep.trim()) p.legalRepresentative = '请填写法定代表人。';
    if (!/^[0-9+\-() ]{5,20}$/.test(phone.trim())) p.phone = '请填写联系电话，例如 021-58881234。';
    setProblems(p);
    setFailure(null);
    if (Object.keys(p).length) return focusFirst(form, ORDER, p);
    setBusy(true);
    try {
      onDone(await supplyApi.registerProvider({ name: name.trim(), uscc: uscc.trim(), legalRepresentative: rep.trim(), kind, phone: phone.trim(), licences: [] }));
    } catch (err) {
      const sp = serverProblems(err);
      if (err instanceof ApiError && err.code === 'SUPPLY_PROVIDER_EXISTS') sp.uscc = errorText(err, t);
      setProblems(sp);
      setFailure(Object.keys(sp).length ? null : errorText(err, t));
      focusFirst(form, ORDER, sp);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="sup-form stack" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy || undefined}>
      <ProblemSummary problems={problems} failure={failure} title="没有登记" />
      <div className="sup-form-grid">
        <Field form={form} name="name" label="机构名称" hint="与营业执照或登记证书一致" problem={problems.name}>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} autoComplete="organization" />
        </Field>
        <Field form={form} name="uscc" label="统一社会信用代码" hint="18 位，见营业执照或登记证书" problem={problems.uscc}>
          <input value={uscc} onChange={(e) => setUscc(e.target.value)} maxLength={30} autoComplete="off" spellCheck={false} className="mono" />
        </Field>
        <Field form={form} name="legalRepresentative" label="法定代表人" problem={problems.legalRepresentative}>
          <input value={rep} onChange={(e) => setRep(e.target.value)} maxLength={40} autoComplete="off" />
        </Field>
        <Field form={form} name="kind" label="机构类型" problem={problems.kind}>
          <select value={kind} onChange={(e) => setKind(e.target.value as ProviderKind)}>
            {PROVIDER_KINDS.map((k) => (
              <option key={k} value={k}>
                {PROVIDER_KIND_NAMES[k]}
              </option>
            ))}
          </select>
        </Field>
        <Field form={form} name="phone" label="联系电话" problem={problems.phone}>
          <input value={phone} onChange={(e) => setPhone(e.target.value)} inputMode="tel" autoComplete="tel" />
        </Field>
      </div>
      <div className="button-row">
        <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
          {busy ? '正在登记…' : '登记机构'}
        </button>
      </div>
    </form>
  );
}
