// Evidence from the elder's side (issue 8 §5): one secret per home gives two time-based codes
// (RFC 6238 TOTP, by the otpauth library):
// - the home tag: a printed QR (or NFC tag) in the home whose code changes every
//   `homeTagPeriodDays` — the community reprints it; a photo of last period's tag is worthless;
// - the elder's phone: a six-digit code on the elder's or family's phone (or read out by the
//   elder's card reader), changing every `elderCodeSeconds`.
// Codes are checked at the time the phone recorded (a check-in made offline at 09:00 is checked
// against 09:00), one step either side, so a code shown at a step's end still counts.
import * as OTPAuth from 'otpauth';

const DIGITS = 6;
const SECRET_BYTES = 20;
const SECONDS_PER_DAY = 86_400;
const ALGORITHM = 'SHA256';

/** A new random secret (base32), to be stored encrypted. */
export const newHomeSecret = (): string => new OTPAuth.Secret({ size: SECRET_BYTES }).base32;

const totp = (secret: string, period: number) => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: DIGITS, period, algorithm: ALGORITHM });

export interface CodePeriods {
  homeTagPeriodDays: number;
  elderCodeSeconds: number;
}

const periodOf = (kind: 'tag' | 'elder_phone' | 'card', p: CodePeriods) => (kind === 'tag' ? p.homeTagPeriodDays * SECONDS_PER_DAY : p.elderCodeSeconds);

/** The code of a kind at an instant (ms). */
export function homeCode(secret: string, kind: 'tag' | 'elder_phone' | 'card', at: number, p: CodePeriods): string {
  return totp(secret, periodOf(kind, p)).generate({ timestamp: at });
}

/** Is the code right at that instant (one step either side)? */
export function checkHomeCode(secret: string, kind: 'tag' | 'elder_phone' | 'card', code: string, at: number, p: CodePeriods): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  return totp(secret, periodOf(kind, p)).validate({ token: code, timestamp: at, window: 1 }) !== null;
}

/** When the current code of a kind stops being shown (ms), for the elder's screen. */
export function codeValidUntil(kind: 'tag' | 'elder_phone' | 'card', at: number, p: CodePeriods): number {
  const ms = periodOf(kind, p) * 1000;
  return (Math.floor(at / ms) + 1) * ms;
}

/** The QR content of a home tag: a prefix, the person's tag id and the code. */
export const tagPayload = (personId: string, code: string): string => `YIYANG-HOME:${personId}:${code}`;
export function readTagPayload(s: string): { personId: string; code: string } | null {
  const m = /^YIYANG-HOME:([0-9a-f-]{36}):(\d{6})$/i.exec(s.trim());
  return m ? { personId: m[1]!.toLowerCase(), code: m[2]! } : null;
}
