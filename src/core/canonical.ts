// Canonical JSON: object keys sorted at every depth, no whitespace, undefined members dropped,
// values with toJSON (dates) serialised as JSON.stringify would. Hash chains and signatures
// are computed over this text, so a jsonb round trip or a reordered file hashes the same.

/** Canonical JSON text of a JSON value. */
export function canonicalJson(v: unknown): string {
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    return canonicalJson((v as { toJSON: () => unknown }).toJSON());
  }
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}
