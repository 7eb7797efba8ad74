// Generates docs/errors.md from the error catalogue in src/core/errors.ts (CONVENTIONS §20).
// `npx tsx scripts/gen-docs.ts` writes it; a unit test fails when it is stale.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES } from '../src/core/errors.ts';
import { statusOf } from '../src/platform/http.ts';

export function errorsMarkdown(): string {
  const rows = Object.entries(ERROR_CODES).map(([code, spec]) => `| \`${code}\` | ${statusOf(code as keyof typeof ERROR_CODES)} | ${spec.kind} | ${spec.message} |`);
  return [
    '# Error codes',
    '',
    'Generated from `src/core/errors.ts` by `npx tsx scripts/gen-docs.ts`; do not edit by hand.',
    'Every error body is `{ "error": { "code", "message", "details": [{ "path", "message" }] } }`;',
    'the message below is the default, and a more specific Chinese message may replace it.',
    '',
    '| code | HTTP | kind | default message |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(new URL('../docs/errors.md', import.meta.url), errorsMarkdown());
}
