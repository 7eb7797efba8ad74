// Distance on the Earth's surface: one formula for the whole platform (the supply registry's
// distances and route hints, the waiting list's radius, care's check-in positions and travel).

/** Mean Earth radius (IUGG), as turf.js and most GIS libraries use. */
const EARTH_RADIUS_M = 6_371_008.8;
const DEG = Math.PI / 180;

/** Great-circle distance in metres between two points given as longitude, latitude (haversine). */
export function haversineMeters(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * DEG;
  const dLon = (lon2 - lon1) * DEG;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * DEG) * Math.cos(lat2 * DEG) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The same for two `{ lat, lon }` points. */
export const greatCircleMeters = (a: { lat: number; lon: number }, b: { lat: number; lon: number }): number => haversineMeters(a.lon, a.lat, b.lon, b.lat);
