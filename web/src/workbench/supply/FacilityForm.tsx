// A facility's filing form (新增设施, 修改设施信息): type, ownership, 保基本, the street it is in
// (the district's streets from /regions), address and position, area, hours, its functions (check
// boxes by the catalogue's eight categories), the price list (yuan typed, fen sent; care fees
// per grade), phone and meal capacity. Problems are named next to their fields, the server's too.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, type Region } from '../../api.ts';
import { errorText } from '../../format.ts';
import { usePrefs } from '../../prefs.tsx';
import {
  OWNERSHIP_NAMES,
  OWNERSHIPS,
  PRICE_CATEGORIES,
  PRICE_UNIT_NAMES,
  PRICE_UNITS,
  type Catalogue,
  type FacilityDetail,
  type FacilityInput,
  type Ownership,
  type PriceCategory,
  type PriceUnit,
} from './api.ts';
import { Field, focusFirst, ProblemSummary, serverProblems, type Problems } from './FormBits.tsx';
import { fenOf, yuanInput } from './shared.tsx';

interface PriceRow {
  key: number;
  item: string;
  category: PriceCategory;
  unit: PriceUnit;
  amount: string;
  grades: number[];
}

const PHONE_RE = /^[0-9+\-() ]{5,20}$/;
const GRADES = [1, 2, 3, 4, 5, 6];
const GRADE_NAMES = ['一', '二', '三', '四', '五', '六'];
const ORDER = ['providerId', 'name', 'typeCode', 'ownership', 'basicGuarantee', 'district', 'regionCode', 'address', 'lon', 'lat', 'floorAreaM2', 'openingHours', 'description', 'functions', 'prices', 'phone', 'mealCapacity', 'openedOn'];
let rowKey = 0;

export function FacilityForm({
  catalogue,
  districts,
  providers,
  initial,
  submitLabel,
  busyLabel,
  onSubmit,
  onCancel,
}: {
  catalogue: Catalogue;
  /** The districts the facility may be in (a provider: its own). */
  districts: readonly { code: string; name: string }[];
  /** Staff entering a facility choose its provider; none for a provider's own. */
  providers?: readonly { id: string; name: string }[];
  initial?: FacilityDetail;
  submitLabel: string;
  busyLabel: string;
  onSubmit: (input: FacilityInput) => Promise<void>;
  onCancel?: () => void;
}) {
  const { t } = usePrefs();
  const form = useId().replace(/:/g, '');
  const titleIds = { functions: useId(), prices: useId() };
  const [providerId, setProviderId] = useState('');
  const [name, setName] = useState(initial?.name ?? '');
  const [typeCode, setTypeCode] = useState(initial?.typeCode ?? '');
  const [ownership, setOwnership] = useState<Ownership>(initial?.ownership ?? 'market');
  const [basic, setBasic] = useState(initial?.basicGuarantee ?? false);
  const [district, setDistrict] = useState(initial?.districtCode ?? (districts.length === 1 ? districts[0]!.code : ''));
  const [regionCode, setRegionCode] = useState(initial?.regionCode ?? '');
  const [streets, setStreets] = useState<Region[]>([]);
  const [address, setAddress] = useState(initial?.address ?? '');
  const [lon, setLon] = useState(initial ? String(initial.lon) : '');
  const [lat, setLat] = useState(initial ? String(initial.lat) : '');
  const [area, setArea] = useState(initial ? String(initial.floorAreaM2) : '');
  const [hours, setHours] = useState(initial?.openingHours ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [functions, setFunctions] = useState<string[]>(initial?.functions ?? []);
  const [prices, setPrices] = useState<PriceRow[]>(
    (initial?.prices ?? []).map((p) => ({ key: ++rowKey, item: p.item, category: p.category, unit: p.unit, amount: yuanInput(p.fen), grades: p.grades ?? [] })),
  );
  const [phone, setPhone] = useState(initial?.phone ?? '');
  const [meals, setMeals] = useState(initial ? String(initial.mealCapacity) : '0');
  const [openedOn, setOpenedOn] = useState(initial?.openedOn ?? '');
  const [problems, setProblems] = useState<Problems>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!district) {
      setStreets([]);
      return;
    }
    const ctl = new AbortController();
    api
      .regions(district, ctl.signal)
      .then((r) => setStreets(r.items))
      .catch(() => setStreets([]));
    return () => ctl.abort();
  }, [district]);

  const type = catalogue.facilityTypes.find((x) => x.code === typeCode);
  const groups = [...new Set(catalogue.facilityTypes.map((x) => x.groupName))];
  const categoryName = (c: string) => catalogue.priceCategories.find((x) => x.code === c)?.name ?? c;

  const check = (): Problems => {
    const p: Problems = {};
    if (providers && !providerId) p.providerId = '请选择所属机构。';
    if (name.trim().length < 2) p.name = '请填写设施名称（至少 2 个字）。';
    if (!typeCode) p.typeCode = '请选择设施类型。';
    if (basic && type && !type.residential) p.basicGuarantee = '只有住养类设施可以标为保基本。';
    if (!district) p.district = '请选择所在区。';
    if (!regionCode) p.regionCode = '请选择所在街镇。';
    if (address.trim().length < 2) p.address = '请填写地址。';
    if (!/^-?\d{1,3}(\.\d+)?$/.test(lon.trim()) || Math.abs(Number(lon)) > 180) p.lon = '请填写经度，例如 121.5447。';
    if (!/^-?\d{1,2}(\.\d+)?$/.test(lat.trim()) || Math.abs(Number(lat)) > 90) p.lat = '请填写纬度，例如 31.2215。';
    if (area.trim() && !(Number(area) >= 0)) p.floorAreaM2 = '建筑面积应为不小于 0 的数字（平方米）。';
    if (!PHONE_RE.test(phone.trim())) p.phone = '请填写联系电话，例如 021-58881234。';
    if (!/^\d+$/.test(meals.trim())) p.mealCapacity = '供餐能力应为整数（份/日），没有填 0。';
    if (openedOn && !/^\d{4}-\d{2}-\d{2}$/.test(openedOn)) p.openedOn = '日期格式应为 年-月-日。';
    const seen = new Set<string>();
    for (const [i, r] of prices.entries()) {
      const n = i + 1;
      if (!r.item.trim()) p.prices ??= `第 ${n} 行：请填写收费项目。`;
      else if (seen.has(r.item.trim())) p.prices ??= `第 ${n} 行：收费项目“${r.item.trim()}”重复。`;
      else if (fenOf(r.amount) === null) p.prices ??= `第 ${n} 行：金额应为元，最多两位小数，例如 3500 或 12.5。`;
      seen.add(r.item.trim());
    }
    return p;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const p = check();
    setProblems(p);
    setFailure(null);
    if (Object.keys(p).length) {
      focusFirst(form, ORDER, p);
      return;
    }
    setBusy(true);
    try {
      await onSubmit({
        ...(providers ? { providerId } : {}),
        name: name.trim(),
        typeCode,
        ownership,
        basicGuarantee: Boolean(type?.residential) && basic,
        regionCode,
        address: address.trim(),
        lon: Number(lon),
        lat: Number(lat),
        floorAreaM2: area.trim() ? Number(area) : 0,
        openingHours: hours.trim(),
        description: description.trim(),
        functions,
        prices: prices.map((r) => ({
          item: r.item.trim(),
          category: r.category,
          unit: r.unit,
          fen: fenOf(r.amount) ?? 0,
          ...(r.category === 'care' && r.grades.length ? { grades: [...r.grades].sort() } : {}),
        })),
        photos: initial?.photos ?? [],
        phone: phone.trim(),
        mealCapacity: Number(meals),
        openedOn: openedOn || null,
      });
    } catch (err) {
      const sp = serverProblems(err);
      setProblems(sp);
      setFailure(Object.keys(sp).length ? null : errorText(err, t));
      focusFirst(form, ORDER, sp);
    } finally {
      setBusy(false);
    }
  };

  const setRow = (key: number, patch: Partial<PriceRow>) => setPrices((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  return (
    <form className="sup-form stack" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy || undefined}>
      <ProblemSummary problems={problems} failure={failure} title="没有保存" />
      <div className="sup-form-grid">
        {providers && (
          <Field form={form} name="providerId" label="所属机构" problem={problems.providerId}>
            <select value={providerId} onChange={(e) => setProviderId(e.target.value)}>
              <option value="">请选择机构</option>
              {providers.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field form={form} name="name" label="设施名称" problem={problems.name}>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={80} autoComplete="off" />
        </Field>
        <Field form={form} name="typeCode" label="设施类型" problem={problems.typeCode}>
          <select value={typeCode} onChange={(e) => setTypeCode(e.target.value)}>
            <option value="">请选择类型</option>
            {groups.map((g) => (
              <optgroup key={g} label={g}>
                {catalogue.facilityTypes
                  .filter((x) => x.groupName === g)
                  .map((x) => (
                    <option key={x.code} value={x.code}>
                      {x.name}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </Field>
        <Field form={form} name="ownership" label="运营性质" problem={problems.ownership}>
          <select value={ownership} onChange={(e) => setOwnership(e.target.value as Ownership)}>
            {OWNERSHIPS.map((o) => (
              <option key={o} value={o}>
                {OWNERSHIP_NAMES[o]}
              </option>
            ))}
          </select>
        </Field>
        <div className="field sup-check-field">
          {problems.basicGuarantee && (
            <p id={`${form}-basicGuarantee-err`} className="field-error">
              {problems.basicGuarantee}
            </p>
          )}
          <label className="sup-check">
            <input
              id={`${form}-basicGuarantee`}
              type="checkbox"
              checked={basic}
              onChange={(e) => setBasic(e.target.checked)}
              aria-invalid={problems.basicGuarantee ? true : undefined}
              aria-describedby={`${form}-basicGuarantee-hint${problems.basicGuarantee ? ` ${form}-basicGuarantee-err` : ''}`}
            />
            <span>保基本设施</span>
          </label>
          <p id={`${form}-basicGuarantee-hint`} className="hint">
            只有住养类设施（养老机构、长者照护之家等）可以标为保基本。
          </p>
        </div>
        {districts.length > 1 && (
          <Field form={form} name="district" label="所在区" problem={problems.district}>
            <select
              value={district}
              onChange={(e) => {
                setDistrict(e.target.value);
                setRegionCode('');
              }}
            >
              <option value="">请选择区</option>
              {districts.map((d) => (
                <option key={d.code} value={d.code}>
                  {d.name}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field form={form} name="regionCode" label="所在街镇" problem={problems.regionCode}>
          <select value={regionCode} onChange={(e) => setRegionCode(e.target.value)}>
            <option value="">{district ? '请选择街道或镇' : '请先选择区'}</option>
            {streets.map((s) => (
              <option key={s.code} value={s.code}>
                {s.name}
              </option>
            ))}
            {initial && regionCode && !streets.some((s) => s.code === regionCode) && <option value={regionCode}>{regionCode}</option>}
          </select>
        </Field>
        <Field form={form} name="address" label="地址" problem={problems.address} className="sup-wide">
          <input value={address} onChange={(e) => setAddress(e.target.value)} maxLength={200} autoComplete="street-address" />
        </Field>
        <Field form={form} name="lon" label="经度" hint="东经，度，例如 121.5447" problem={problems.lon}>
          <input value={lon} onChange={(e) => setLon(e.target.value)} inputMode="decimal" autoComplete="off" className="input-short" />
        </Field>
        <Field form={form} name="lat" label="纬度" hint="北纬，度，例如 31.2215" problem={problems.lat}>
          <input value={lat} onChange={(e) => setLat(e.target.value)} inputMode="decimal" autoComplete="off" className="input-short" />
        </Field>
        <Field form={form} name="floorAreaM2" label="建筑面积（平方米）" problem={problems.floorAreaM2}>
          <input value={area} onChange={(e) => setArea(e.target.value)} inputMode="decimal" autoComplete="off" className="input-short" />
        </Field>
        <Field form={form} name="openingHours" label="开放时间" hint="例如 周一至周五 8:00–17:00" problem={problems.openingHours}>
          <input value={hours} onChange={(e) => setHours(e.target.value)} maxLength={200} autoComplete="off" />
        </Field>
        <Field form={form} name="phone" label="联系电话" problem={problems.phone}>
          <input value={phone} onChange={(e) => setPhone(e.target.value)} inputMode="tel" autoComplete="tel" />
        </Field>
        <Field form={form} name="mealCapacity" label="供餐能力（份/日）" hint="助餐场所每日可供餐份数；不供餐填 0" problem={problems.mealCapacity}>
          <input value={meals} onChange={(e) => setMeals(e.target.value)} inputMode="numeric" autoComplete="off" className="input-short" />
        </Field>
        <Field form={form} name="openedOn" label="开业日期（可不填）" problem={problems.openedOn}>
          <input type="date" value={openedOn} onChange={(e) => setOpenedOn(e.target.value)} className="input-short" />
        </Field>
        <Field form={form} name="description" label="简介（可不填）" problem={problems.description} className="sup-wide">
          <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={3} maxLength={2000} />
        </Field>
      </div>

      <fieldset className="sup-fieldset" aria-describedby={problems.functions ? `${form}-functions-err` : undefined}>
        <legend id={titleIds.functions}>服务功能</legend>
        <p className="hint">按“1+8”八大类勾选本设施提供的服务。</p>
        {problems.functions && (
          <p id={`${form}-functions-err`} className="field-error">
            {problems.functions}
          </p>
        )}
        <div className="sup-categories">
          {catalogue.categories.map((c, ci) => (
            <fieldset key={c.code} className="sup-category">
              <legend>{c.name}</legend>
              {catalogue.functions
                .filter((f) => f.category === c.code)
                .map((f, fi) => (
                  <label key={f.code} className="sup-check">
                    <input
                      id={ci === 0 && fi === 0 ? `${form}-functions` : undefined}
                      type="checkbox"
                      value={f.code}
                      checked={functions.includes(f.code)}
                      onChange={(e) => setFunctions((fs) => (e.target.checked ? [...fs, f.code] : fs.filter((x) => x !== f.code)))}
                    />
                    <span>{f.name}</span>
                  </label>
                ))}
            </fieldset>
          ))}
        </div>
      </fieldset>

      <section aria-labelledby={titleIds.prices} className="sup-prices">
        <h3 id={titleIds.prices}>收费标准</h3>
        <p className="hint">金额以元填写。护理费可按照护等级分别填写，勾选适用的等级；不勾选即适用于所有等级。</p>
        {problems.prices && (
          <p id={`${form}-prices-err`} className="field-error" role="alert">
            {problems.prices}
          </p>
        )}
        {prices.length === 0 && <p className="empty">还没有收费项目。</p>}
        <ol className="sup-price-list" role="list">
          {prices.map((r, i) => {
            const n = i + 1;
            const rid = `${form}-price-${r.key}`;
            return (
              <li key={r.key} className="sup-price-row">
                <fieldset>
                  <legend>第 {n} 项收费</legend>
                  <div className="sup-price-grid">
                    <div className="field">
                      <label htmlFor={i === 0 ? `${form}-prices` : `${rid}-item`}>收费项目</label>
                      <input
                        id={i === 0 ? `${form}-prices` : `${rid}-item`}
                        value={r.item}
                        onChange={(e) => setRow(r.key, { item: e.target.value })}
                        maxLength={40}
                        autoComplete="off"
                      />
                    </div>
                    <div className="field">
                      <label htmlFor={`${rid}-cat`}>类别</label>
                      <select id={`${rid}-cat`} value={r.category} onChange={(e) => setRow(r.key, { category: e.target.value as PriceCategory })}>
                        {PRICE_CATEGORIES.map((c) => (
                          <option key={c} value={c}>
                            {categoryName(c)}
                          </option>
                        ))}
                      </select>
                    </div>
                    <div className="field">
                      <label htmlFor={`${rid}-unit`}>计价单位</label>
                      <select id={`${rid}-unit`} value={r.unit} onChange={(e) => setRow(r.key, { unit: e.target.value as PriceUnit })}>
                        {PRICE_UNITS.map((u) => (
                          <option key={u} value={u}>
                            每{PRICE_UNIT_NAMES[u]}
                          </option>
                        ))}
                      </select>
                    </div>
                    <div className="field">
                      <label htmlFor={`${rid}-amount`}>金额（元）</label>
                      <input
                        id={`${rid}-amount`}
                        value={r.amount}
                        onChange={(e) => setRow(r.key, { amount: e.target.value })}
                        inputMode="decimal"
                        autoComplete="off"
                        className="input-short"
                      />
                    </div>
                  </div>
                  {r.category === 'care' && (
                    <fieldset className="sup-grades">
                      <legend>适用的照护等级</legend>
                      {GRADES.map((g) => (
                        <label key={g} className="sup-check">
                          <input
                            type="checkbox"
                            checked={r.grades.includes(g)}
                            onChange={(e) => setRow(r.key, { grades: e.target.checked ? [...r.grades, g] : r.grades.filter((x) => x !== g) })}
                          />
                          <span>{GRADE_NAMES[g - 1]}级</span>
                        </label>
                      ))}
                    </fieldset>
                  )}
                  <button type="button" className="button button-secondary" onClick={() => setPrices((rs) => rs.filter((x) => x.key !== r.key))}>
                    删除第 {n} 项收费
                  </button>
                </fieldset>
              </li>
            );
          })}
        </ol>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => setPrices((rs) => [...rs, { key: ++rowKey, item: '', category: type?.residential ? 'bed' : 'service', unit: type?.residential ? 'month' : 'time', amount: '', grades: [] }])}
        >
          添加收费项目
        </button>
      </section>

      <div className="button-row">
        <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
          {busy ? busyLabel : submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="button button-secondary" onClick={onCancel}>
            取消
          </button>
        )}
      </div>
    </form>
  );
}
