// Prometheus metrics at /metrics (process metrics plus request counts and latencies by route).
import client from 'prom-client';

const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });

let histogram: client.Histogram<'method' | 'route' | 'status'> | null = null;

/** Request metrics; labels are route patterns, never URLs. */
export function httpMetrics(): { observe(method: string, route: string, status: number, seconds: number): void } {
  histogram ??= new client.Histogram({
    name: 'yiyang_http_request_duration_seconds',
    help: 'HTTP request duration by route pattern',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const h = histogram;
  return { observe: (method, route, status, seconds) => h.observe({ method, route, status: String(status) }, seconds) };
}

export async function metricsText(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}
