import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ageOn, type LocalDate } from '../core/dates.ts';
import { checkChar, makeIdNumber } from '../core/idnumber.ts';
import { loadJurisdiction } from '../regions/index.ts';
import { regionLookupFor } from './regions.ts';
import {
  birthRangeForAges, diffPerson, ECONOMIC_STATUSES, enumValue, INSURANCE_TYPES, LABELS, LIVING_ARRANGEMENTS,
  validatePerson, type PersonDraft, type PersonInput, type ValidationContext,
} from './model.ts';

const TODAY = '2026-11-29' as LocalDate;
const d = (s: string): LocalDate => s as LocalDate;
const HAN = /\p{Script=Han}/u;

const lookupFor = regionLookupFor;

const { tree } = await loadJurisdiction('shanghai');
const ctx: ValidationContext = { today: TODAY, regions: lookupFor(tree), maxAgeYears: 125 };

// 张三, man born 1950-03-02 with a Pudong number; lives in 云南中路居委会 (南京东路街道, 黄浦区).
const MAN_ID = makeIdNumber('310115', d('1950-03-02'), 6, 'M');
const WOMAN_ID = makeIdNumber('310104', d('1946-11-29'), 10, 'F');
const COMMITTEE = '310101002001';
const STREET = '310101002';

const base = (over: Partial<PersonInput> = {}): PersonInput => ({ name: '张三', idNumber: MAN_ID, regionCode: COMMITTEE, ...over });

function accepted(input: PersonInput, c: ValidationContext = ctx): PersonDraft {
  const r = validatePerson(input, c);
  if (!r.ok) throw new Error(`expected a valid record, got ${JSON.stringify(r.errors)}`);
  return r.value;
}

function rejected(input: PersonInput, c: ValidationContext = ctx): { path: string; message: string }[] {
  const r = validatePerson(input, c);
  if (r.ok) throw new Error(`expected errors, got a valid record ${JSON.stringify(r.value)}`);
  return r.errors;
}

const pathsOf = (errors: { path: string }[]): string[] => errors.map((e) => e.path);

describe('validatePerson: identity number', () => {
  it('a valid 18-digit number gives a draft whose birth date and sex come from the number', () => {
    const v = accepted(base());
    expect(v).toMatchObject({
      name: '张三', idNumber: MAN_ID, idNumberOriginal: MAN_ID, birthDate: '1950-03-02', sex: 'M',
      regionCode: COMMITTEE, committeeCode: COMMITTEE, streetCode: STREET, districtCode: '310101',
      insuranceType: 'none', economicStatus: 'none', livingArrangement: 'other',
      hukouDistrictCode: null, address: null, phone: null, deathDate: null, contacts: [], warnings: [],
    });
    expect(accepted(base({ idNumber: WOMAN_ID })).sex).toBe('F');
  });

  it('a lowercase x check character and surrounding spaces are accepted and normalised', () => {
    const x = '11010519491231002X';
    expect(accepted(base({ idNumber: ` ${x.toLowerCase()} ` })).idNumber).toBe(x);
  });

  it('a 15-digit legacy number is upgraded to 18 digits and the original is kept', () => {
    const legacy = '310115500302013'; // 310115 · 50-03-02 · 013 (odd: man)
    const first17 = '31011519500302013';
    const v = accepted(base({ idNumber: legacy }));
    expect(v.idNumber).toBe(first17 + checkChar(first17));
    expect(v.idNumberOriginal).toBe(legacy);
    expect(v.birthDate).toBe('1950-03-02');
    expect(v.sex).toBe('M');
  });

  it('a wrong check character is an error on idNumber, in Chinese', () => {
    const last = MAN_ID[17]!;
    const wrong = MAN_ID.slice(0, 17) + (last === '0' ? '1' : '0');
    const errors = rejected(base({ idNumber: wrong }));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: 'idNumber', message: expect.stringMatching(/校验码/) });
  });

  it.each([
    ['empty', ''],
    ['only spaces', '   '],
    ['too short', '31011519500302'],
    ['letters inside', '3101151950A302013X'],
    ['birth date 1950-02-30', '310115195002300010'.slice(0, 17) + checkChar('31011519500230001')],
    ['born after today', '31011520261130001' + checkChar('31011520261130001')],
  ])('an identity number that is %s is an error on idNumber', (_, id) => {
    const errors = rejected(base({ idNumber: id }));
    expect(pathsOf(errors)).toEqual(['idNumber']);
    expect(errors[0]!.message).toMatch(HAN);
  });

  it('an address code in the number that the Shanghai tables do not know (510104, 成都) only warns', () => {
    const id = makeIdNumber('510104', d('1950-03-02'), 1, 'M');
    const v = accepted(base({ idNumber: id }));
    expect(v.warnings).toHaveLength(1);
    expect(v.warnings[0]).toMatch(/510104/);
  });

  it('a retired district code in the number (310108 闸北区) is known: no warning', () => {
    expect(accepted(base({ idNumber: makeIdNumber('310108', d('1950-03-02'), 1, 'M') })).warnings).toEqual([]);
  });

  it('someone older than the maximum age is an error on birthDate', () => {
    const id = makeIdNumber('310115', d('1900-01-01'), 1, 'M');
    expect(pathsOf(rejected(base({ idNumber: id })))).toEqual(['birthDate']);
    expect(accepted(base({ idNumber: id }), { ...ctx, maxAgeYears: 130 }).birthDate).toBe('1900-01-01');
  });
});

describe('validatePerson: birth date and sex given beside the number', () => {
  it.each([
    ['the same birth date', { birthDate: '1950-03-02' }],
    ['the same sex as 男', { sex: '男' }],
    ['the same sex as code M', { sex: 'M' }],
    ['the same sex as lowercase m', { sex: 'm' }],
    ['blank birth date and sex', { birthDate: ' ', sex: '' }],
  ])('%s is accepted', (_, over) => {
    expect(accepted(base(over)).birthDate).toBe('1950-03-02');
  });

  it('a birth date that disagrees with the number is an error naming both dates', () => {
    const errors = rejected(base({ birthDate: '1950-03-03' }));
    expect(pathsOf(errors)).toEqual(['birthDate']);
    expect(errors[0]!.message).toContain('1950-03-03');
    expect(errors[0]!.message).toContain('1950-03-02');
  });

  it('an impossible birth date 1950-02-30 is an error, not a crash', () => {
    const errors = rejected(base({ birthDate: '1950-02-30' }));
    expect(pathsOf(errors)).toEqual(['birthDate']);
    expect(errors[0]!.message).toMatch(/无效/);
  });

  it.each(['女', 'F', 'female'])('sex %s disagreeing with the number (a man) is an error', (sex) => {
    const errors = rejected(base({ sex }));
    expect(pathsOf(errors)).toEqual(['sex']);
    expect(errors[0]!.message).toMatch(/男/);
  });

  it('an unrecognised sex is an error', () => {
    expect(pathsOf(rejected(base({ sex: '未知' })))).toEqual(['sex']);
  });
});

describe('validatePerson: regions', () => {
  it('a committee code fills the street and district', () => {
    expect(accepted(base({ regionCode: COMMITTEE }))).toMatchObject({ regionCode: COMMITTEE, committeeCode: COMMITTEE, streetCode: STREET, districtCode: '310101' });
  });

  it('a street code fills the district and leaves the committee empty', () => {
    expect(accepted(base({ regionCode: ` ${STREET} ` }))).toMatchObject({ regionCode: STREET, committeeCode: null, streetCode: STREET, districtCode: '310101' });
  });

  it('a district code alone is enough', () => {
    expect(accepted(base({ regionCode: '310115' }))).toMatchObject({ regionCode: '310115', committeeCode: null, streetCode: null, districtCode: '310115' });
  });

  it.each([
    ['330604 上虞区, another jurisdiction', '330604'],
    ['the city itself 310000', '310000'],
    ['the retired district 310108 闸北区', '310108'],
    ['a street that does not exist', '310101999'],
    ['text', '南京东路街道'],
  ])('a region code of %s is an error on regionCode', (_, code) => {
    const errors = rejected(base({ regionCode: code }));
    expect(pathsOf(errors)).toEqual(['regionCode']);
    expect(errors[0]!.message).toMatch(HAN);
  });

  it('a missing region is an error', () => {
    expect(rejected(base({ regionCode: '' }))[0]).toMatchObject({ path: 'regionCode', message: expect.stringMatching(/不能为空/) });
  });

  it.each([
    ['310108', '310106', 'retired 闸北区 is stored as 静安区'],
    ['310103', '310101', 'retired 卢湾区 is stored as 黄浦区'],
    ['310115', '310115', 'a current district stays'],
    ['330604', '330604', 'a district elsewhere in China is kept as written'],
  ])('hukou district %s → %s (%s)', (hukou, stored) => {
    expect(accepted(base({ hukouDistrictCode: hukou })).hukouDistrictCode).toBe(stored);
  });

  it.each(['31010', '3101080', '闸北区', 'abcdef'])('hukou district %j that is not 6 digits is an error', (hukou) => {
    expect(pathsOf(rejected(base({ hukouDistrictCode: hukou })))).toEqual(['hukouDistrictCode']);
  });
});

describe('enumValue and the enumerated fields', () => {
  it.each([
    ['insuranceType', '职工医保', 'employee'],
    ['insuranceType', '城乡居民医保', 'resident'],
    ['insuranceType', ' 居民医保 ', 'resident'],
    ['insuranceType', 'employee', 'employee'],
    ['insuranceType', 'EMPLOYEE', 'employee'],
    ['insuranceType', '未参保', 'none'],
    ['economicStatus', '低保', 'dibao'],
    ['economicStatus', '特困供养', 'tekun'],
    ['economicStatus', 'low_income', 'low_income'],
    ['livingArrangement', '独居', 'alone'],
    ['livingArrangement', '纯老家庭', 'elderly_only'],
    ['livingArrangement', 'with_children', 'with_children'],
    ['livingArrangement', '养老机构', 'institution'],
    ['sex', '男', 'M'],
    ['sex', 'Female', 'F'],
  ] as const)('%s %j → %s', (field, raw, code) => {
    expect(enumValue(field, raw)).toBe(code);
  });

  it.each([
    ['insuranceType', '商业保险'],
    ['economicStatus', '富裕'],
    ['livingArrangement', '独自'],
    ['sex', '男女'],
  ] as const)('%s %j is unknown', (field, raw) => {
    expect(enumValue(field, raw)).toBeNull();
  });

  it('Chinese labels are stored as codes', () => {
    expect(accepted(base({ insuranceType: '职工医保', economicStatus: '低保', livingArrangement: '独居' }))).toMatchObject({
      insuranceType: 'employee', economicStatus: 'dibao', livingArrangement: 'alone',
    });
  });

  it('codes are accepted as they are', () => {
    expect(accepted(base({ insuranceType: 'resident', economicStatus: 'tekun', livingArrangement: 'with_children' }))).toMatchObject({
      insuranceType: 'resident', economicStatus: 'tekun', livingArrangement: 'with_children',
    });
  });

  it.each([
    ['insuranceType', '商业保险', ['职工医保', '城乡居民医保', '无']],
    ['economicStatus', '富裕', ['低保', '低收入', '特困', '无']],
    ['livingArrangement', '独自', ['独居', '纯老家庭', '与子女同住', '入住机构', '其他']],
  ] as const)('an unknown %s label %j is an error listing the allowed labels', (field, raw, labels) => {
    const errors = rejected(base({ [field]: raw }));
    expect(pathsOf(errors)).toEqual([field]);
    expect(errors[0]!.message).toContain(raw);
    for (const l of labels) expect(errors[0]!.message).toContain(l);
  });
});

describe('validatePerson: phone numbers', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['138 0013 8000', '13800138000'],
    ['021-62345678', '021-62345678'],
    ['02162345678', '02162345678'],
    ['(021)62345678', '02162345678'],
    ['（021）62345678', '02162345678'],
    ['0575-8212345', '0575-8212345'],
    ['62345678', '62345678'],
  ])('%j is accepted as %j', (raw, stored) => {
    expect(accepted(base({ phone: raw })).phone).toBe(stored);
  });

  it.each(['abc', '12345', '1380013800', '138001380000', '021-6234', '13800138000; DROP', '１３８００１３８０００'])('%j is an error', (raw) => {
    const errors = rejected(base({ phone: raw }));
    expect(pathsOf(errors)).toEqual(['phone']);
    expect(errors[0]!.message).toMatch(HAN);
  });

  it('a contact with a bad phone or name is an error on that contact', () => {
    const errors = rejected(base({ contacts: [{ name: '张小三', relation: '儿子', phone: '13900139000' }, { name: '', relation: '女儿', phone: '123' }] }));
    expect(pathsOf(errors)).toEqual(['contacts.1.name', 'contacts.1.phone']);
  });

  it('more than 10 contacts is an error', () => {
    const c = { name: '李四', relation: '邻居', phone: '13900139000' };
    expect(pathsOf(rejected(base({ contacts: Array.from({ length: 11 }, () => c) })))).toEqual(['contacts']);
    expect(accepted(base({ contacts: Array.from({ length: 10 }, () => c) })).contacts).toHaveLength(10);
  });
});

describe('validatePerson: death date', () => {
  it('a death date between birth and today is kept; today itself is allowed', () => {
    expect(accepted(base({ deathDate: '2020-05-01' })).deathDate).toBe('2020-05-01');
    expect(accepted(base({ deathDate: TODAY })).deathDate).toBe(TODAY);
  });

  it.each([
    ['before the birth date', '1950-03-01', /早于出生日期/],
    ['tomorrow', '2026-11-30', /晚于今天/],
    ['an impossible date', '2021-02-29', /无效/],
    ['in another format', '2020/05/01', /无效/],
  ])('a death date %s is an error', (_, date, message) => {
    const errors = rejected(base({ deathDate: date }));
    expect(pathsOf(errors)).toEqual(['deathDate']);
    expect(errors[0]!.message).toMatch(message);
  });
});

describe('validatePerson: names and free text', () => {
  it.each([
    ['张三', '张三'],
    ['  张   三 ', '张 三'],
    ['阿依古丽·买买提', '阿依古丽·买买提'],
    ["O'Brien-Smith", "O'Brien-Smith"],
    ['张'.repeat(50), '张'.repeat(50)],
  ])('name %j is accepted as %j', (raw, stored) => {
    expect(accepted(base({ name: raw })).name).toBe(stored);
  });

  it.each([
    ['empty', ''],
    ['51 characters', '张'.repeat(51)],
    ['a NUL character', '张\u0000三'],
    ['a bell character', '张三\u0007'],
    ['an escape sequence', '张\u001b[31m三'],
    ['a DEL character', '张三\u007f'],
    ['SQL', "Robert'); DROP TABLE people.person;--"],
    ['HTML', '<script>alert(1)</script>'],
    ['digits', '张三1'],
  ])('a name with %s is rejected on name without a crash', (_, name) => {
    const errors = rejected(base({ name }));
    expect(pathsOf(errors)).toEqual(['name']);
    expect(errors[0]!.message).toMatch(HAN);
  });

  it('an address over 200 characters or with a control character is an error', () => {
    expect(pathsOf(rejected(base({ address: '路'.repeat(201) })))).toEqual(['address']);
    expect(pathsOf(rejected(base({ address: '长寿路1号\u0000' })))).toEqual(['address']);
    expect(accepted(base({ address: '路'.repeat(200) })).address).toHaveLength(200);
  });

  it.each([
    ['lat', 91],
    ['lat', Number.NaN],
    ['lon', -181],
    ['lon', Number.POSITIVE_INFINITY],
  ] as const)('coordinate %s = %s is an error', (field, v) => {
    expect(pathsOf(rejected(base({ [field]: v })))).toEqual([field]);
  });

  it('every problem of a record is reported at once', () => {
    const errors = rejected({ name: '', idNumber: '123', regionCode: '330604', phone: 'x', insuranceType: '?', deathDate: 'never' });
    expect(pathsOf(errors).sort()).toEqual(['deathDate', 'idNumber', 'insuranceType', 'name', 'phone', 'regionCode']);
  });
});

describe('validatePerson: any input', () => {
  const sample = <T>(valid: T[]) => fc.oneof(fc.constantFrom(...valid), fc.string(), fc.string({ unit: 'binary' }));
  const fields = {
    name: sample(['张三', '李 四', '']),
    idNumber: sample([MAN_ID, WOMAN_ID, '310115500302013', '']),
    birthDate: fc.option(sample(['1950-03-02', '1950-02-30'])),
    sex: fc.option(sample(['男', '女', 'M'])),
    hukouDistrictCode: fc.option(sample(['310108', '330604', '000000', '999999', '310000'])),
    regionCode: sample([COMMITTEE, STREET, '310115', '330604', '310000', '']),
    address: fc.option(sample(['长寿路1号'])),
    lat: fc.option(fc.double()),
    lon: fc.option(fc.double()),
    insuranceType: fc.option(sample(['职工医保', 'resident'])),
    economicStatus: fc.option(sample(['低保', 'none'])),
    livingArrangement: fc.option(sample(['独居', 'other'])),
    disability: fc.option(sample(['肢体残疾'])),
    phone: fc.option(sample(['13800138000', '021-62345678'])),
    deathDate: fc.option(sample(['2020-01-01', '2030-01-01'])),
    contacts: fc.option(fc.array(fc.record({ name: fc.string(), relation: fc.string(), phone: fc.string() }), { maxLength: 12 }), { nil: undefined }),
  };

  it('never throws, and returns a draft with valid codes or errors with Chinese messages', () => {
    fc.assert(
      fc.property(fc.record(fields), (input) => {
        const r = validatePerson(input, ctx);
        if (r.ok) {
          expect(INSURANCE_TYPES).toContain(r.value.insuranceType);
          expect(ECONOMIC_STATUSES).toContain(r.value.economicStatus);
          expect(LIVING_ARRANGEMENTS).toContain(r.value.livingArrangement);
          expect(['M', 'F']).toContain(r.value.sex);
          expect(ageOn(r.value.birthDate, TODAY)).toBeLessThanOrEqual(125);
        } else {
          expect(r.errors.length).toBeGreaterThan(0);
          for (const e of r.errors) {
            expect(e.path).not.toBe('');
            expect(e.message).toMatch(HAN);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('diffPerson', () => {
  const before = accepted(base({ insuranceType: '职工医保', phone: '13800138000', address: '长寿路1号', lat: 31.2, lon: 121.4 }));

  it('no change gives no differences', () => {
    expect(diffPerson(before, { ...before })).toEqual([]);
    expect(diffPerson(before, accepted(base({ insuranceType: 'employee', phone: '138 0013 8000', address: ' 长寿路1号 ', lat: 31.2, lon: 121.4 })))).toEqual([]);
  });

  it('a changed insurance type shows from and to', () => {
    expect(diffPerson(before, { ...before, insuranceType: 'resident' })).toEqual([{ field: 'insuranceType', from: 'employee', to: 'resident' }]);
  });

  it.each([
    ['name', '张四'],
    ['phone', '13900139000'],
    ['address', '长寿路2号'],
    ['lat', 31.3],
  ] as const)('a changed %s is masked in the history', (field, value) => {
    const changes = diffPerson(before, { ...before, [field]: value });
    expect(changes).toEqual([{ field, from: '（已修改）', to: '（已修改）' }]);
    expect(JSON.stringify(changes)).not.toContain(String(value));
  });

  it('a personal value that is added or removed shows null on the empty side, still masked', () => {
    expect(diffPerson({ ...before, phone: null }, before)).toEqual([{ field: 'phone', from: null, to: '（已修改）' }]);
    expect(diffPerson(before, { ...before, address: null })).toEqual([{ field: 'address', from: '（已修改）', to: null }]);
  });

  it('a changed contact list is masked, a death date is shown', () => {
    const changes = diffPerson(before, { ...before, contacts: [{ name: '李四', relation: '儿子', phone: '13900139000' }], deathDate: d('2026-01-01') });
    expect(changes).toEqual([
      { field: 'contacts', from: '（已修改）', to: '（已修改）' },
      { field: 'deathDate', from: null, to: '2026-01-01' },
    ]);
  });

  it('undefined and null are the same', () => {
    expect(diffPerson({ ...before, disability: null }, { ...before, disability: undefined as unknown as null })).toEqual([]);
  });
});

describe('birthRangeForAges', () => {
  // 2026-11-29: someone born 1946-11-29 turns 80 today; someone born 1946-11-30 turns 80 tomorrow.
  const inRange = (birth: string, asOf: string, min?: number, max?: number): boolean => {
    const r = birthRangeForAges(d(asOf), min, max);
    return (r.bornOnOrBefore === null || birth <= r.bornOnOrBefore) && (r.bornAfter === null || birth > r.bornAfter);
  };

  it('no bounds → no limits', () => {
    expect(birthRangeForAges(TODAY)).toEqual({ bornOnOrBefore: null, bornAfter: null });
  });

  it('the bounds for 80 and over / up to 79 on 2026-11-29', () => {
    expect(birthRangeForAges(TODAY, 80, 79)).toEqual({ bornOnOrBefore: '1946-11-29', bornAfter: '1946-11-29' });
  });

  it.each([
    ['turns 80 on the as-of date', '1946-11-29', 80, true, false],
    ['turns 80 the day after', '1946-11-30', 79, false, true],
    ['turned 80 the day before', '1946-11-28', 80, true, false],
  ])('someone who %s (born %s) is %i: ageMin 80 includes=%s, ageMax 79 includes=%s', (_, birth, age, inMin80, inMax79) => {
    expect(ageOn(d(birth), TODAY)).toBe(age);
    expect(inRange(birth, TODAY, 80)).toBe(inMin80);
    expect(inRange(birth, TODAY, undefined, 79)).toBe(inMax79);
  });

  it('the day before and the day of the 80th birthday', () => {
    expect(inRange('1946-11-29', '2026-11-28', 80)).toBe(false);
    expect(inRange('1946-11-29', '2026-11-28', undefined, 79)).toBe(true);
    expect(inRange('1946-11-29', '2026-11-29', 80)).toBe(true);
    expect(inRange('1946-11-29', '2026-11-29', undefined, 79)).toBe(false);
  });

  it('an exact age (min = max) picks exactly the people of that age', () => {
    expect(inRange('1946-11-29', TODAY, 80, 80)).toBe(true);
    expect(inRange('1945-11-30', TODAY, 80, 80)).toBe(true);
    expect(inRange('1945-11-29', TODAY, 80, 80)).toBe(false);
    expect(inRange('1946-11-30', TODAY, 80, 80)).toBe(false);
  });

  it('agrees with ageOn for any birth date and as-of date', () => {
    const date = (from: number, to: number) =>
      fc.date({ min: new Date(Date.UTC(from, 0, 1)), max: new Date(Date.UTC(to, 11, 31)), noInvalidDate: true }).map((x) => x.toISOString().slice(0, 10));
    fc.assert(
      fc.property(date(1900, 1990), date(1991, 2100), fc.integer({ min: 0, max: 110 }), fc.integer({ min: 0, max: 110 }), (birth, asOf, a, b) => {
        const [min, max] = a <= b ? [a, b] : [b, a];
        const age = ageOn(d(birth), d(asOf));
        expect(inRange(birth, asOf, min, max)).toBe(age >= min && age <= max);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('regressions', () => {
  it('labels that are names of Object.prototype members are unknown, not accepted', () => {
    for (const raw of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      expect(enumValue('insuranceType', raw)).toBeNull();
      expect(enumValue('sex', raw)).toBeNull();
      expect(pathsOf(rejected(base({ insuranceType: raw })))).toEqual(['insuranceType']);
    }
  });

  it('someone born on 29 February is 81 on 28 February 2025 and is counted as 81', () => {
    const r = birthRangeForAges(d('2025-02-28'), 81, 81);
    expect(ageOn(d('1944-02-29'), d('2025-02-28'))).toBe(81);
    expect('1944-02-29' <= r.bornOnOrBefore!).toBe(true);
    expect('1944-02-29' > r.bornAfter!).toBe(true);
    expect('1944-02-29' > birthRangeForAges(d('2025-02-28'), undefined, 80).bornAfter!).toBe(false);
  });
});

describe('LABELS', () => {
  it('has a Chinese label for every code', () => {
    for (const c of INSURANCE_TYPES) expect(LABELS.insuranceType[c]).toMatch(HAN);
    for (const c of ECONOMIC_STATUSES) expect(LABELS.economicStatus[c]).toMatch(HAN);
    for (const c of LIVING_ARRANGEMENTS) expect(LABELS.livingArrangement[c]).toMatch(HAN);
  });
});
