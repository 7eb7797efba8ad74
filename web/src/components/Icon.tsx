// Simple line icons (24 × 24, stroke = currentColor) so they follow high-contrast mode and
// need no emoji font. Always decorative: the text next to them carries the meaning.
const PATHS: Record<string, string> = {
  assessment: 'M9 4h6v3H9zM7 5H5v16h14V5h-2M8.5 13.5l2.5 2.5 4.5-5',
  entitlements: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM8.5 7.5 12 12l3.5-4.5M12 12v6M9 13h6M9 16h6',
  services: 'M3 11 12 4l9 7M5 10v10h5v-6h4v6h5V10',
  beds: 'M3 6v13M3 15h18v4M21 15v-3a3 3 0 0 0-3-3h-8v6M6.5 12.5a1.5 1.5 0 1 0 0-.01',
  homecare:
    'M12 20s-7-4.4-7-10a4 4 0 0 1 7-2.6A4 4 0 0 1 19 10c0 5.6-7 10-7 10z',
  safety: 'M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 20a2 2 0 0 0 4 0M12 3v2',
};

export function Icon({ name }: { name: keyof typeof PATHS | string }) {
  const d = PATHS[name];
  if (!d) return null;
  return (
    <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={d} fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
