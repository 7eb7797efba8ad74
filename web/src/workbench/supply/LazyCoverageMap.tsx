// The coverage map with Leaflet loaded only when the map is shown (the rest of the workbench never
// downloads it); while it loads, a line of text in its place.
import { lazy, Suspense, type ComponentProps } from 'react';
import type { CoverageMap } from './CoverageMap.tsx';

const Map = lazy(() => import('./CoverageMap.tsx').then((m) => ({ default: m.CoverageMap })));

export function LazyCoverageMap(props: ComponentProps<typeof CoverageMap>) {
  return (
    <Suspense fallback={<p className="loading">正在加载地图…</p>}>
      <Map {...props} />
    </Suspense>
  );
}
