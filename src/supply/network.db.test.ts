// Stored road networks on both back ends: the bytea round trip (a Buffer on pg, a Uint8Array on
// PGlite), replacing a district's network, the listing, the source check, read-only access for
// the application role, and `yiyang network import` / `list` as a real process on that database.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, sql, type Database } from '../platform/db.ts';
import { migrate } from '../platform/migrate.ts';
import { backends, createServerDatabase } from '../../test/helpers/platform.ts';
import { decodeNetwork, encodeNetwork, networkFromGeoJSON, syntheticNetwork } from './network.ts';
import { listNetworks, loadNetwork, saveNetwork } from './store/network.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const AT = new Date('2026-11-29T03:00:00.000Z');

const demo = syntheticNetwork({
  outline: { type: 'Polygon', coordinates: [[[121.5, 31.2], [121.52, 31.2], [121.52, 31.215], [121.5, 31.215], [121.5, 31.2]]] },
  streets: [{ code: '310115004', lon: 121.505, lat: 31.205 }, { code: '310115005', lon: 121.515, lat: 31.21 }],
  spacingMeters: 120,
  seed: 9,
});

function yiyang(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/yiyang.js', ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.each(backends())('road networks on %s', (backend) => {
  let db: Database;
  let drop: (() => Promise<void>) | null = null;
  let url = '';
  const dir = mkdtempSync(join(tmpdir(), 'yiyang-network-db-'));

  beforeAll(async () => {
    if (backend === 'pg') {
      const d = await createServerDatabase();
      drop = d.drop;
      url = d.url;
      db = await openDatabase({ databaseUrl: d.url });
    } else db = await openDatabase({ dataDir: null });
    await migrate(db);
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores and loads a network byte for byte; a second import replaces the first', async () => {
    const bytes = encodeNetwork(demo);
    await db.tx((q) => saveNetwork(q, { districtCode: '310115', source: 'synthetic', nodeCount: demo.x.length, edgeCount: demo.from.length, data: bytes, importedAt: AT, importedBy: 'tester' }), { asAppRole: false });
    const row = await db.tx((q) => loadNetwork(q, '310115'));
    expect(row).not.toBeNull();
    expect(row!.data).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(row!.data).equals(Buffer.from(bytes))).toBe(true);
    expect(decodeNetwork(row!.data)).toEqual(demo);
    expect(row).toMatchObject({ district_code: '310115', source: 'synthetic', node_count: demo.x.length, edge_count: demo.from.length, imported_by: 'tester' });
    expect(new Date(row!.imported_at).toISOString()).toBe(AT.toISOString());

    const small = networkFromGeoJSON({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[121.5, 31.2], [121.501, 31.2]] } }] });
    // a view into a larger buffer at an odd offset: only the view is stored
    const enc = encodeNetwork(small);
    const padded = new Uint8Array(enc.length + 5);
    padded.set(enc, 3);
    await db.tx((q) => saveNetwork(q, { districtCode: '310115', source: 'geojson', nodeCount: 2, edgeCount: 1, data: padded.subarray(3, 3 + enc.length), importedAt: AT, importedBy: null }), { asAppRole: false });
    const again = await db.tx((q) => loadNetwork(q, '310115'));
    expect(decodeNetwork(again!.data)).toEqual(small);
    expect(again).toMatchObject({ source: 'geojson', node_count: 2, imported_by: null });
    expect(await db.tx((q) => loadNetwork(q, '310101'))).toBeNull();
  });

  it('lists networks by district without their data; refuses an unknown source; the application role may only read', async () => {
    await db.tx((q) => saveNetwork(q, { districtCode: '310104', source: 'osm', nodeCount: demo.x.length, edgeCount: demo.from.length, data: encodeNetwork(demo), importedAt: AT, importedBy: 'x' }), { asAppRole: false });
    const list = await db.tx((q) => listNetworks(q));
    expect(list.map((r) => [r.district_code, r.source])).toEqual([['310104', 'osm'], ['310115', 'geojson']]);
    expect(list[0]!.bytes).toBe(encodeNetwork(demo).byteLength);
    expect(list[0]).not.toHaveProperty('data');
    await expect(db.tx((q) => saveNetwork(q, { districtCode: '310101', source: 'shapefile' as never, nodeCount: 0, edgeCount: 0, data: new Uint8Array(1), importedAt: AT, importedBy: null }), { asAppRole: false })).rejects.toThrow(/check/i);
    await expect(db.tx((q) => saveNetwork(q, { districtCode: '310101', source: 'osm', nodeCount: 0, edgeCount: 0, data: new Uint8Array(1), importedAt: AT, importedBy: null }))).rejects.toThrow(/permission denied/);
    expect((await db.tx((q) => q.rows(sql`SELECT district_code FROM supply.road_network`))).length).toBe(2);
  });

  it('yiyang network import stores a GeoJSON file; network list shows it; an unknown district exits 2', async () => {
    const env = backend === 'pg' ? { DATABASE_URL: url, YIYANG_DATA_DIR: dir } : { DATABASE_URL: '', YIYANG_DATA_DIR: join(dir, 'pglite') };
    const r = await yiyang(['network', 'import', join(ROOT, 'test/fixtures/network/small.geojson'), '--district', '310115', '--by', 'cli-test'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/路网（geojson）：节点 5 个，路段 4 条，总长 0\.40 公里/);
    expect(r.stdout).toMatch(/已保存：310115 浦东新区/);
    const l = await yiyang(['network', 'list'], env);
    expect(l.code).toBe(0);
    expect(l.stdout).toMatch(/310115 浦东新区\tgeojson\t节点 5\t路段 4\t.*\tcli-test/);
    if (backend === 'pg') {
      const row = await db.tx((q) => loadNetwork(q, '310115'));
      expect(decodeNetwork(row!.data).x.length).toBe(5);
    }
    const bad = await yiyang(['network', 'import', join(ROOT, 'test/fixtures/network/small.geojson'), '--district', '999999'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/不是本辖区的区/);
  }, 180_000); // three CLI processes, each opening the platform (PGlite migrates its new directory)
});
