import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorsMarkdown } from './gen-docs.ts';

describe('generated docs', () => {
  it('docs/errors.md is up to date with src/core/errors.ts (run npx tsx scripts/gen-docs.ts)', () => {
    expect(readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8')).toBe(errorsMarkdown());
  });
});
