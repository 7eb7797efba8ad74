// The map with Leaflet loaded only when a map is shown (list view and the rest of the portal
// never download it); while it loads, a line of text in its place.
import { lazy, Suspense, type ComponentProps } from 'react';
import type { ServiceMap } from '../../components/ServiceMap.tsx';

const Map = lazy(() => import('../../components/ServiceMap.tsx').then((m) => ({ default: m.ServiceMap })));

export function LazyServiceMap(props: ComponentProps<typeof ServiceMap>) {
  return (
    <Suspense fallback={<p className="loading service-map-loading">正在加载地图…</p>}>
      <Map {...props} />
    </Suspense>
  );
}
