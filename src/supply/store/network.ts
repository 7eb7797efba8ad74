// SQL of the stored road networks (migrations/0012_network.sql): one encoded network per district
// (src/supply/network.ts encodeNetwork / decodeNetwork). Public map data: no scope filter.
import { sql, type Queryable } from '../../platform/db.ts';

export type NetworkSource = 'osm' | 'geojson' | 'synthetic';

export interface NetworkMeta {
  district_code: string;
  source: NetworkSource;
  node_count: number | null;
  edge_count: number | null;
  /** Size of the encoded network. */
  bytes: number;
  imported_at: Date;
  imported_by: string | null;
}

export interface NetworkRow extends Omit<NetworkMeta, 'bytes'> {
  /** The encoded network (a Buffer on the pg driver, a Uint8Array on PGlite). */
  data: Uint8Array;
}

export interface SaveNetwork {
  districtCode: string;
  source: NetworkSource;
  nodeCount: number;
  edgeCount: number;
  data: Uint8Array;
  importedAt: Date;
  importedBy: string | null;
}

/** Store a district's network, replacing the one before. */
export async function saveNetwork(q: Queryable, row: SaveNetwork): Promise<void> {
  // Sent as base64 text and decoded by the server: PGlite takes a binary parameter byte by byte
  // (16 MB of networks took 15 s), a text one at memcpy speed.
  const data = Buffer.from(row.data.buffer, row.data.byteOffset, row.data.byteLength).toString('base64');
  await q.run(sql`INSERT INTO supply.road_network (district_code, source, node_count, edge_count, data, imported_at, imported_by)
    VALUES (${row.districtCode}, ${row.source}, ${row.nodeCount}, ${row.edgeCount}, decode(${data}, 'base64'), ${row.importedAt.toISOString()}::timestamptz, ${row.importedBy})
    ON CONFLICT (district_code) DO UPDATE SET source = EXCLUDED.source, node_count = EXCLUDED.node_count, edge_count = EXCLUDED.edge_count,
      data = EXCLUDED.data, imported_at = EXCLUDED.imported_at, imported_by = EXCLUDED.imported_by`);
}

/** A district's stored network, or null. */
export async function loadNetwork(q: Queryable, districtCode: string): Promise<NetworkRow | null> {
  const r = await q.one<Omit<NetworkRow, 'data'> & { data: string }>(sql`SELECT district_code, source, node_count, edge_count, encode(data, 'base64') AS data, imported_at, imported_by
    FROM supply.road_network WHERE district_code = ${districtCode}`);
  if (!r) return null;
  const b = Buffer.from(r.data, 'base64');
  return { ...r, data: new Uint8Array(b.buffer, b.byteOffset, b.byteLength) };
}

/** Every stored network without its data, by district. */
export async function listNetworks(q: Queryable): Promise<NetworkMeta[]> {
  return q.rows<NetworkMeta>(sql`SELECT district_code, source, node_count, edge_count, octet_length(data) AS bytes, imported_at, imported_by
    FROM supply.road_network ORDER BY district_code`);
}
