// What the caregiver phone asks of the device, each once and only when the caregiver presses a
// button (issue 8 §5: location at check-in and check-out only, never tracked in between):
// the position, a photo made smaller before it is kept (≤ 1600 px, JPEG), and — where the
// browser can read QR codes (BarcodeDetector) — the home tag's code from a photo of it.
import type { GeoPoint, LocationStatus } from './queue.ts';

const POSITION_TIMEOUT_MS = 15_000;

/** One position, or why there is none (refused by the caregiver, not available, too slow). */
export function locateOnce(): Promise<{ location: GeoPoint | null; status: LocationStatus }> {
  return new Promise((resolve) => {
    if (typeof navigator === 'undefined' || !('geolocation' in navigator)) {
      resolve({ location: null, status: 'unsupported' });
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ location: { lat: p.coords.latitude, lon: p.coords.longitude, accuracy: Number.isFinite(p.coords.accuracy) ? Math.min(100_000, Math.round(p.coords.accuracy)) : null }, status: 'ok' }),
      (e) => resolve({ location: null, status: e.code === e.PERMISSION_DENIED ? 'denied' : e.code === e.TIMEOUT ? 'timeout' : 'unavailable' }),
      { enableHighAccuracy: true, timeout: POSITION_TIMEOUT_MS, maximumAge: 0 },
    );
  });
}

export const LOCATION_TEXT: Record<LocationStatus, string> = {
  ok: '已记录位置',
  denied: '未记录位置：没有允许定位（已如实记录，机构可能回访核实）',
  unavailable: '未记录位置：手机暂时无法定位',
  timeout: '未记录位置：定位超时',
  unsupported: '未记录位置：这个浏览器不能定位',
};

export const MAX_PHOTO_SIDE = 1600;
const MAX_PHOTO_BYTES = 1_900_000;
const QUALITIES = [0.85, 0.7, 0.55, 0.4];

/** The photo as a JPEG no larger than 1600 px on its longer side (and under the server's 2 MB). */
export async function shrinkPhoto(file: Blob): Promise<{ blob: Blob; width: number; height: number }> {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  const scale = Math.min(1, MAX_PHOTO_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext('2d');
  if (!g) throw new Error('无法处理照片');
  g.fillStyle = '#ffffff'; // a transparent PNG becomes white, not black, as a JPEG
  g.fillRect(0, 0, width, height);
  g.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  for (const q of QUALITIES) {
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', q));
    if (blob && (blob.size <= MAX_PHOTO_BYTES || q === QUALITIES[QUALITIES.length - 1])) return { blob, width, height };
  }
  throw new Error('无法处理照片');
}

interface BarcodeDetectorLike {
  detect(source: ImageBitmapSource): Promise<{ rawValue: string }[]>;
}
type BarcodeDetectorCtor = new (opts: { formats: string[] }) => BarcodeDetectorLike;

const detectorCtor = (): BarcodeDetectorCtor | null => (globalThis as unknown as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector ?? null;

/** Can this browser read a QR code from a photo? */
export const canScanQr = (): boolean => detectorCtor() !== null;

/** The home tag's QR content (src/care/homecode.ts `tagPayload`): YIYANG-HOME:<person id>:<6 digits>. */
export function readTagPayload(s: string): { personId: string; code: string } | null {
  const m = /^YIYANG-HOME:([0-9a-f-]{36}):(\d{6})$/i.exec(s.trim());
  return m ? { personId: m[1]!.toLowerCase(), code: m[2]! } : null;
}

/** The tag's content read from a photo of it, or null. */
export async function scanTag(file: Blob): Promise<{ personId: string; code: string } | null> {
  const Ctor = detectorCtor();
  if (!Ctor) return null;
  const bitmap = await createImageBitmap(file);
  try {
    const found = await new Ctor({ formats: ['qr_code'] }).detect(bitmap);
    for (const f of found) {
      const t = readTagPayload(f.rawValue);
      if (t) return t;
    }
    return null;
  } finally {
    bitmap.close();
  }
}

/** Great-circle distance in metres (the check-in point against the home, as a hint to the caregiver). */
export function metersBetween(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const R = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}
