import { describe, expect, it } from 'vitest';
import * as core from './index.ts';

describe('core index', () => {
  it('re-exports the whole kernel', () => {
    for (const name of [
      'AppError', 'ERROR_CODES', 'isAppError', 'ok', 'err',
      'newId', 'isUuid', 'makeIdGenerator', 'mulberry32',
      'fen', 'yuanToFen', 'formatFen', 'addFen', 'sumFen', 'splitFen', 'mulRate',
      'parseLocalDate', 'tryParseLocalDate', 'isValidLocalDate', 'localDateOf', 'startOfLocalDay',
      'addDays', 'addYears', 'compareLocalDate', 'diffDays', 'ageOn', 'todayIn',
      'normalizeIdNumber', 'checkChar', 'parseIdNumber', 'isValidIdNumber', 'makeIdNumber',
      'maskIdNumber', 'maskName', 'maskPhone',
      'regionLevel', 'scopePrefix', 'isWithin', 'districtOf', 'isRegionCode',
    ]) {
      expect(core, name).toHaveProperty(name);
    }
  });
});
