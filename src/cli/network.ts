// `yiyang network import FILE --district CODE` and `yiyang network list` (issue 6 §3): a district's
// walking network from an OpenStreetMap extract (.osm.pbf) or GeoJSON lines, summarised in
// Chinese and stored for the 15-minute service circle. The file is read and checked before the
// platform is opened, so a bad file costs nothing: a message on stderr, exit 2.
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { encodeNetwork, networkFromGeoJSON, networkFromOsmPbf, NetworkInputError, networkStats, type RoadNetwork } from '../supply/index.ts';
import { listNetworks, saveNetwork, type NetworkSource } from '../supply/wiring.ts';
import { withPlatform } from './with-platform.ts';

type Format = 'osm' | 'geojson';

/** The format from the file name: .osm.pbf / .pbf are OpenStreetMap, .geojson / .json GeoJSON. */
export function formatOf(file: string): Format | null {
  const f = file.toLowerCase();
  if (f.endsWith('.pbf')) return 'osm';
  if (f.endsWith('.geojson') || f.endsWith('.json')) return 'geojson';
  return null;
}

/** Read and parse a network file; throws NetworkInputError with a Chinese message. */
export function readNetworkFile(file: string, format: Format | undefined): { net: RoadNetwork; format: Format } {
  const fmt = format ?? formatOf(file);
  if (!fmt) throw new NetworkInputError(`无法判断文件格式：${basename(file)}（扩展名应为 .osm.pbf、.pbf、.geojson 或 .json，或用 --format osm|geojson 指定）`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new NetworkInputError(`无法读取文件 ${file}：${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (fmt === 'osm') return { net: networkFromOsmPbf(bytes), format: fmt };
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    throw new NetworkInputError(`${basename(file)} 不是有效的 JSON`);
  }
  return { net: networkFromGeoJSON(json), format: fmt };
}

/** The summary printed after reading: nodes, edges, total length, bounding box. */
export function describeNetwork(net: RoadNetwork, source: NetworkSource): string {
  const s = networkStats(net);
  const lines = [`路网（${source}）：节点 ${s.nodes} 个，路段 ${s.edges} 条，总长 ${(s.totalMeters / 1000).toFixed(2)} 公里`];
  if (s.bbox) lines.push(`范围：经度 ${s.bbox.minLon.toFixed(6)}～${s.bbox.maxLon.toFixed(6)}，纬度 ${s.bbox.minLat.toFixed(6)}～${s.bbox.maxLat.toFixed(6)}`);
  return lines.join('\n');
}

const DISTRICT_RE = /^\d{6}$/;

const fail = (message: string) => {
  process.stderr.write(`错误：${message}\n`);
  process.exitCode = 2;
};

export function registerNetworkCommands(program: Command): void {
  const network = program.command('network').description('步行路网（15 分钟服务圈） / walking road networks for the 15-minute service circle');
  network
    .command('import')
    .description('导入一个区的步行路网（OpenStreetMap .osm.pbf 或 GeoJSON 线要素）/ import a district\'s walking network')
    .argument('<file>', '.osm.pbf / .pbf (OpenStreetMap) or .geojson / .json (LineString features, WGS84)')
    .requiredOption('--district <code>', '区代码（6 位，如 310115 浦东新区）/ district code')
    .option('--format <format>', 'osm | geojson (default: from the file name)')
    .option('--by <name>', '导入人（记录在库中）/ who imports (default: the OS user)')
    .option('--dry-run', '只读取并汇总，不保存 / read and summarise only')
    .addHelpText('after', '\nExit code: 0 stored (or read with --dry-run), 2 bad file or district (message on stderr).')
    .action(async (file: string, o: { district: string; format?: string; by?: string; dryRun?: boolean }) => {
      if (o.format !== undefined && o.format !== 'osm' && o.format !== 'geojson') return fail(`--format 应为 osm 或 geojson，收到 ${o.format}`);
      if (!DISTRICT_RE.test(o.district)) return fail(`区代码应为 6 位数字（如 310115），收到 ${o.district}`);
      let read: { net: RoadNetwork; format: Format };
      try {
        read = readNetworkFile(file, o.format as Format | undefined);
      } catch (e) {
        if (e instanceof NetworkInputError) return fail(e.message);
        throw e;
      }
      const { net, format } = read;
      // The district is checked against the jurisdiction's region tree before any database is opened.
      const [{ loadJurisdiction }, { loadConfig }] = await Promise.all([import('../regions/index.ts'), import('../platform/config.ts')]);
      const region = (await loadJurisdiction(loadConfig().jurisdiction)).tree.get(o.district);
      if (!region || region.level !== 'county') return fail(`区代码 ${o.district} 不是本辖区的区（县）`);
      process.stdout.write(describeNetwork(net, format) + '\n');
      if (o.dryRun) {
        process.stdout.write('未保存（--dry-run）\n');
        return;
      }
      await withPlatform(async (ctx) => {
        const data = encodeNetwork(net);
        await ctx.db.tx(
          (q) => saveNetwork(q, { districtCode: o.district, source: format, nodeCount: net.x.length, edgeCount: net.from.length, data, importedAt: ctx.clock(), importedBy: o.by ?? userInfo().username }),
          { asAppRole: false },
        );
        process.stdout.write(`已保存：${o.district} ${region.name}（${(data.byteLength / 1024 / 1024).toFixed(1)} MB；替换该区原有路网）\n`);
      });
    });
  network
    .command('list')
    .description('列出已导入的路网 / list stored networks')
    .action(async () => {
      await withPlatform(async (ctx) => {
        const rows = await ctx.db.tx((q) => listNetworks(q), { asAppRole: false });
        if (rows.length === 0) process.stdout.write('尚未导入路网\n');
        for (const r of rows) {
          const name = ctx.regions.get(r.district_code)?.name ?? '';
          process.stdout.write(`${r.district_code} ${name}\t${r.source}\t节点 ${r.node_count ?? '?'}\t路段 ${r.edge_count ?? '?'}\t${(r.bytes / 1024 / 1024).toFixed(1)} MB\t${new Date(r.imported_at).toISOString()}\t${r.imported_by ?? ''}\n`);
        }
      });
    });
}
