// The register of older people: pure rules for what a valid person record is, how a record
// changes, and how a row of a street office's spreadsheet becomes one. No I/O here.
import type { ErrorDetail } from '../core/errors.ts';
import { addDays, addYears, ageOn, isValidLocalDate, type LocalDate } from '../core/dates.ts';
import { parseIdNumber } from '../core/idnumber.ts';
import { districtOf, regionLevel } from '../core/regions.ts';

export const SEXES = ['M', 'F'] as const;
export const INSURANCE_TYPES = ['employee', 'resident', 'none'] as const;
export const ECONOMIC_STATUSES = ['dibao', 'low_income', 'tekun', 'none'] as const;
export const LIVING_ARRANGEMENTS = ['alone', 'elderly_only', 'with_children', 'institution', 'other'] as const;

export type Sex = (typeof SEXES)[number];
export type InsuranceType = (typeof INSURANCE_TYPES)[number];
export type EconomicStatus = (typeof ECONOMIC_STATUSES)[number];
export type LivingArrangement = (typeof LIVING_ARRANGEMENTS)[number];

/** Chinese labels, as the street offices write them (glossary). */
export const LABELS = {
  sex: { M: '男', F: '女' },
  insuranceType: { employee: '职工医保', resident: '城乡居民医保', none: '无' },
  economicStatus: { dibao: '低保', low_income: '低收入', tekun: '特困', none: '无' },
  livingArrangement: { alone: '独居', elderly_only: '纯老家庭', with_children: '与子女同住', institution: '入住机构', other: '其他' },
} as const;

/** Other spellings met in real lists, mapped to the code. */
const ALIASES: Record<string, Record<string, string>> = {
  sex: { 男: 'M', 女: 'F', m: 'M', f: 'F', male: 'M', female: 'F' },
  insuranceType: {
    职工医保: 'employee', 职工: 'employee', 城镇职工医保: 'employee', 城镇职工基本医疗保险: 'employee',
    城乡居民医保: 'resident', 居民医保: 'resident', 城乡居民: 'resident', 城乡居民基本医疗保险: 'resident',
    无: 'none', 未参保: 'none', '': 'none',
  },
  economicStatus: {
    低保: 'dibao', 最低生活保障: 'dibao', 低收入: 'low_income', 低收入困难家庭: 'low_income',
    特困: 'tekun', 特困供养: 'tekun', 特困人员: 'tekun', 无: 'none', 一般: 'none', '': 'none',
  },
  livingArrangement: {
    独居: 'alone', 纯老: 'elderly_only', 纯老家庭: 'elderly_only', 与子女同住: 'with_children',
    与子女共同居住: 'with_children', 机构: 'institution', 入住机构: 'institution', 养老机构: 'institution',
    其他: 'other', '': 'other',
  },
};

/** Map a label or code to the enum code, or null when unknown. */
export function enumValue<K extends keyof typeof LABELS>(field: K, raw: string): string | null {
  const v = raw.trim();
  const codes = Object.keys(LABELS[field]);
  if (codes.includes(v)) return v;
  const lower = v.toLowerCase();
  if (codes.includes(lower)) return lower;
  const table = ALIASES[field] ?? {};
  if (Object.hasOwn(table, v)) return table[v]!;
  return Object.hasOwn(table, lower) ? table[lower]! : null;
}

export interface Contact {
  name: string;
  relation: string;
  phone: string;
}

/** What a caller supplies to register or change a person. Strings as typed; validated below. */
export interface PersonInput {
  name: string;
  idNumber: string;
  birthDate?: string | null;
  sex?: string | null;
  hukouDistrictCode?: string | null;
  /** Most specific residence region known: committee, street/town or district code. */
  regionCode: string;
  address?: string | null;
  lat?: number | null;
  lon?: number | null;
  insuranceType?: string | null;
  economicStatus?: string | null;
  livingArrangement?: string | null;
  disability?: string | null;
  phone?: string | null;
  contacts?: Contact[];
  deathDate?: string | null;
}

/** A validated person record, ready to store (still in plain text; the store encrypts). */
export interface PersonDraft {
  name: string;
  idNumber: string;
  idNumberOriginal: string;
  birthDate: LocalDate;
  sex: Sex;
  hukouDistrictCode: string | null;
  regionCode: string;
  districtCode: string;
  streetCode: string | null;
  committeeCode: string | null;
  address: string | null;
  lat: number | null;
  lon: number | null;
  insuranceType: InsuranceType;
  economicStatus: EconomicStatus;
  livingArrangement: LivingArrangement;
  disability: string | null;
  phone: string | null;
  contacts: Contact[];
  deathDate: LocalDate | null;
  warnings: string[];
}

/** What the rules need to know about the deployment's regions. */
export interface RegionLookup {
  /** A current region of the deployment (district, street or committee), or null. */
  current(code: string): { code: string; parentCode: string | null } | null;
  /** Is this 6-digit code a known current or historical county code (for ID numbers)? */
  isKnownAddressCode(code: string): boolean;
  /** Resolve a possibly retired county code to the current one. */
  resolveDistrict(code: string): string | null;
}

export interface ValidationContext {
  today: LocalDate;
  regions: RegionLookup;
  /** Maximum age accepted; beyond it the birth date is treated as an error. */
  maxAgeYears: number;
}

const NAME_RE = /^[\p{Script=Han}\p{L}·•．.\s'-]{1,50}$/u;
const PHONE_RE = /^(1\d{10}|0\d{2,3}-?\d{7,8}|\d{8})$/;
const CONTROL_RE = /[\p{Cc}]/u;
const MAX_TEXT = 200;
const MAX_CONTACTS = 10;
const MAX_RELATION = 20;
const LAT_MAX = 90;
const LON_MAX = 180;

const blank = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** Check a person's data; returns the draft or every problem found (field + Chinese message). */
export function validatePerson(input: PersonInput, ctx: ValidationContext): { ok: true; value: PersonDraft } | { ok: false; errors: ErrorDetail[] } {
  const errors: ErrorDetail[] = [];
  const add = (path: string, message: string) => errors.push({ path, message });

  const name = (input.name ?? '').trim().replace(/\s+/g, ' ');
  if (!name) add('name', '姓名不能为空');
  else if (!NAME_RE.test(name) || CONTROL_RE.test(name)) add('name', '姓名含有不允许的字符或超过 50 个字');

  let idNumber = '';
  let idOriginal = '';
  let birthDate: LocalDate | null = null;
  let sex: Sex | null = null;
  const warnings: string[] = [];
  if (blank(input.idNumber)) add('idNumber', '身份证号码不能为空');
  else {
    const parsed = parseIdNumber(input.idNumber, { today: ctx.today, knownAddressCode: (c) => ctx.regions.isKnownAddressCode(c) });
    if (!parsed.ok) add('idNumber', parsed.error.message);
    else {
      idNumber = parsed.value.number18;
      idOriginal = parsed.value.original;
      birthDate = parsed.value.birthDate;
      sex = parsed.value.sex;
      warnings.push(...parsed.value.warnings);
    }
  }

  if (!blank(input.birthDate)) {
    const b = String(input.birthDate).trim();
    if (!isValidLocalDate(b)) add('birthDate', `出生日期 "${b}" 无效`);
    else if (birthDate && b !== birthDate) add('birthDate', `出生日期 ${b} 与身份证号码中的 ${birthDate} 不一致`);
  }
  if (birthDate && ageOn(birthDate, ctx.today) > ctx.maxAgeYears) add('birthDate', `年龄超过 ${ctx.maxAgeYears} 岁，请核对出生日期`);
  if (!blank(input.sex)) {
    const s = enumValue('sex', String(input.sex));
    if (!s) add('sex', `性别 "${input.sex}" 无法识别，请填写 男 或 女`);
    else if (sex && s !== sex) add('sex', `性别与身份证号码不一致（号码显示为${LABELS.sex[sex]}）`);
  }

  const region = blank(input.regionCode) ? null : ctx.regions.current(String(input.regionCode).trim());
  let districtCode = '';
  let streetCode: string | null = null;
  let committeeCode: string | null = null;
  if (!region) add('regionCode', blank(input.regionCode) ? '居住地区（街道/镇或居委）不能为空' : `行政区划代码 "${input.regionCode}" 不在本平台辖区内`);
  else {
    const level = regionLevel(region.code);
    if (level === 'committee') {
      committeeCode = region.code;
      streetCode = region.parentCode;
    } else if (level === 'street') streetCode = region.code;
    else if (level !== 'county') add('regionCode', '居住地区至少要具体到区（县）');
    districtCode = districtOf(region.code);
  }

  let hukou: string | null = null;
  if (!blank(input.hukouDistrictCode)) {
    const h = String(input.hukouDistrictCode).trim();
    if (!/^\d{6}$/.test(h)) add('hukouDistrictCode', '户籍区代码应为 6 位数字');
    else hukou = ctx.regions.resolveDistrict(h) ?? h; // a retired code (310108 闸北) resolves to its successor
  }

  const text = (v: unknown, path: string, label: string): string | null => {
    if (blank(v)) return null;
    const s = String(v).trim();
    if (s.length > MAX_TEXT || CONTROL_RE.test(s)) {
      add(path, `${label}过长或含有不允许的字符`);
      return null;
    }
    return s;
  };
  const address = text(input.address, 'address', '地址');
  const disability = text(input.disability, 'disability', '残疾情况');

  const coord = (v: number | null | undefined, max: number, path: string): number | null => {
    if (v === undefined || v === null) return null;
    if (!Number.isFinite(v) || Math.abs(v) > max) {
      add(path, '坐标超出范围');
      return null;
    }
    return v;
  };
  const lat = coord(input.lat, LAT_MAX, 'lat');
  const lon = coord(input.lon, LON_MAX, 'lon');

  const pick = <K extends 'insuranceType' | 'economicStatus' | 'livingArrangement'>(field: K, fallback: string, label: string) => {
    const raw = input[field];
    if (blank(raw)) return fallback;
    const v = enumValue(field, String(raw));
    if (!v) add(field, `${label} "${raw}" 无法识别，可填：${Object.values(LABELS[field]).join('、')}`);
    return v ?? fallback;
  };
  const insuranceType = pick('insuranceType', 'none', '医保类型') as InsuranceType;
  const economicStatus = pick('economicStatus', 'none', '经济状况') as EconomicStatus;
  const livingArrangement = pick('livingArrangement', 'other', '居住状况') as LivingArrangement;

  let phone: string | null = null;
  if (!blank(input.phone)) {
    const p = String(input.phone).replace(/[\s()（）]/g, '');
    if (!PHONE_RE.test(p)) add('phone', '电话号码格式不正确');
    else phone = p;
  }

  const contacts: Contact[] = [];
  if ((input.contacts ?? []).length > MAX_CONTACTS) add('contacts', `联系人最多 ${MAX_CONTACTS} 位`);
  (input.contacts ?? []).slice(0, MAX_CONTACTS).forEach((c, i) => {
    const cn = (c.name ?? '').trim();
    const cp = (c.phone ?? '').replace(/[\s()（）]/g, '');
    if (!cn || !NAME_RE.test(cn)) add(`contacts.${i}.name`, '联系人姓名无效');
    if (!PHONE_RE.test(cp)) add(`contacts.${i}.phone`, '联系人电话格式不正确');
    contacts.push({ name: cn, relation: (c.relation ?? '').trim().slice(0, MAX_RELATION), phone: cp });
  });

  let deathDate: LocalDate | null = null;
  if (!blank(input.deathDate)) {
    const d = String(input.deathDate).trim();
    if (!isValidLocalDate(d)) add('deathDate', `死亡日期 "${d}" 无效`);
    else if (d > ctx.today) add('deathDate', '死亡日期不能晚于今天');
    else if (birthDate && d < birthDate) add('deathDate', '死亡日期不能早于出生日期');
    else deathDate = d as LocalDate;
  }

  if (errors.length > 0 || !birthDate || !sex) return { ok: false, errors };
  return {
    ok: true,
    value: {
      name, idNumber, idNumberOriginal: idOriginal, birthDate, sex, hukouDistrictCode: hukou,
      regionCode: region!.code, districtCode, streetCode, committeeCode, address, lat, lon,
      insuranceType, economicStatus, livingArrangement, disability, phone, contacts, deathDate, warnings,
    },
  };
}

/** Fields compared for change detection and recorded in history (personal values masked there). */
export const TRACKED_FIELDS = [
  'name', 'birthDate', 'sex', 'hukouDistrictCode', 'regionCode', 'address', 'lat', 'lon', 'insuranceType',
  'economicStatus', 'livingArrangement', 'disability', 'phone', 'contacts', 'deathDate',
] as const satisfies readonly (keyof PersonDraft)[];
export type TrackedField = (typeof TRACKED_FIELDS)[number];

/** Fields whose values are personal and are shown masked in history. */
const SENSITIVE: ReadonlySet<TrackedField> = new Set(['name', 'address', 'phone', 'contacts', 'lat', 'lon']);

export interface FieldChange {
  field: TrackedField;
  from: unknown;
  to: unknown;
}

type Comparable = Pick<PersonDraft, TrackedField>;

/** The fields that differ between a stored record and a new draft (history masks sensitive values). */
export function diffPerson(before: Comparable, after: Comparable): FieldChange[] {
  const out: FieldChange[] = [];
  for (const f of TRACKED_FIELDS) {
    const a = JSON.stringify(before[f] ?? null);
    const b = JSON.stringify(after[f] ?? null);
    if (a !== b) out.push(SENSITIVE.has(f) ? { field: f, from: before[f] == null ? null : '（已修改）', to: after[f] == null ? null : '（已修改）' } : { field: f, from: before[f] ?? null, to: after[f] ?? null });
  }
  return out;
}

/** Birth-date bounds for an age range on a date: age ≥ min ⇔ birth ≤ asOf − min years. */
export function birthRangeForAges(asOf: LocalDate, ageMin?: number, ageMax?: number): { bornOnOrBefore: LocalDate | null; bornAfter: LocalDate | null } {
  // ageOn treats 28 February as the anniversary of a 29 February birthday in non-leap years, so
  // on such a 28 February the bound moves to the 29th of the (leap) birth year.
  const lastDayOfShortFebruary = asOf.endsWith('-02-28') && addDays(asOf, 1).endsWith('-03-01');
  const bound = (years: number): LocalDate => {
    const d = addYears(asOf, -years);
    const next = addDays(d, 1);
    return lastDayOfShortFebruary && next.endsWith('-02-29') ? next : d;
  };
  return {
    bornOnOrBefore: ageMin === undefined ? null : bound(ageMin),
    bornAfter: ageMax === undefined ? null : bound(ageMax + 1),
  };
}
