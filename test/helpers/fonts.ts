// PDF tests need a CJK font on the machine. Without one they are skipped with the install hint,
// unless the run requires them (CI sets YIYANG_REQUIRE_BROWSER=1, and .ci/run installs the font).
import { findCjkFont } from '../../src/platform/pdf.ts';

export const hasCjkFont = (() => {
  try {
    findCjkFont();
    return true;
  } catch {
    return false;
  }
})();

const required = process.env.YIYANG_REQUIRE_BROWSER === '1' || process.env.YIYANG_REQUIRE_FONTS === '1';

/** Skip PDF rendering tests: no CJK font here, and the run does not require one. */
export const skipWithoutCjkFont = !hasCjkFont && !required;

if (skipWithoutCjkFont) {
  console.warn('[pdf] no CJK font found: PDF tests skipped. Install one (apt-get install fonts-wqy-microhei) or set YIYANG_PDF_FONT.');
}
