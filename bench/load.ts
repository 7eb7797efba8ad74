// Load generator, run as its own process: keep-alive HTTP GETs from `concurrency` loops for
// `seconds`, round-robin over the given paths. Prints {requests, rps, p50, p99, errors} as JSON.
import http from 'node:http';

const [base, headersJson, pathsJson, concurrencyS, secondsS] = process.argv.slice(2) as [string, string, string, string, string];
const headers = JSON.parse(headersJson) as Record<string, string>;
const paths = JSON.parse(pathsJson) as string[];
const concurrency = Number(concurrencyS);
const seconds = Number(secondsS);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const url = new URL(base);

function get(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path, method: 'GET', headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

const latencies: number[] = [];
let errors = 0;
let i = 0;
const warmupEnd = Date.now() + 1000;
const end = warmupEnd + seconds * 1000;
async function loop(): Promise<void> {
  while (Date.now() < end) {
    const path = paths[i++ % paths.length]!;
    const t0 = process.hrtime.bigint();
    const status = await get(path).catch(() => 0);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (Date.now() < warmupEnd) continue;
    if (status !== 200) errors++;
    latencies.push(ms);
  }
}
await Promise.all(Array.from({ length: concurrency }, loop));
latencies.sort((a, b) => a - b);
const q = (p: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0) * 100) / 100;
process.stdout.write(JSON.stringify({ requests: latencies.length, rps: Math.round(latencies.length / seconds), p50: q(0.5), p99: q(0.99), errors }) + '\n');
agent.destroy();
