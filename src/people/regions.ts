// What the people register needs of the deployment's region tree, built once from it: the
// look-up the validation rules use, and the demo generator's world. Pure (no I/O).
import { scopePrefix } from '../core/regions.ts';
import type { Jurisdiction, RegionTree } from '../regions/index.ts';
import type { DemoWorld } from './demo.ts';
import type { RegionLookup } from './model.ts';

/** County-level units elsewhere in China, for demo people whose hukou is not here. */
const OTHER_HUKOU_CODES = ['330604', '320102', '340104', '370102', '420102', '510104'];

/** The regions validatePerson accepts: current districts, streets and committees under the root. */
export function regionLookupFor(tree: RegionTree): RegionLookup {
  const rootPrefix = scopePrefix(tree.root.code);
  return {
    current(code) {
      const r = tree.get(code);
      if (!r || r.validTo || !r.code.startsWith(rootPrefix) || !['county', 'street', 'committee'].includes(r.level)) return null;
      return { code: r.code, parentCode: r.parentCode };
    },
    isKnownAddressCode: (c) => tree.isKnownAddressCode(c),
    resolveDistrict: (c) => tree.resolve(c)?.code ?? null,
  };
}

/** The demo world: districts with their area circle, streets, committees and retired codes. */
export function demoWorldFor(tree: RegionTree, jurisdiction: Jurisdiction): DemoWorld {
  const areas = new Map((jurisdiction.districtAreas?.areas ?? []).map((a) => [a.code, a]));
  const retired = tree.all().filter((r) => r.validTo && r.code.length === 6);
  const districts = tree.districts().map((d) => {
    const area = areas.get(d.code) ?? { center: jurisdiction.center, radiusKm: 3 };
    return {
      code: d.code,
      center: area.center,
      radiusKm: area.radiusKm,
      streets: tree.children(d.code).map((s) => ({ code: s.code, committees: tree.children(s.code).map((c) => c.code) })),
      retiredCodes: retired.filter((r) => tree.resolve(r.code)?.code === d.code).map((r) => r.code),
    };
  }).filter((d) => d.streets.length > 0);
  const rootPrefix = scopePrefix(tree.root.code);
  return { districts, otherHukouCodes: OTHER_HUKOU_CODES.filter((c) => !c.startsWith(rootPrefix)) };
}
