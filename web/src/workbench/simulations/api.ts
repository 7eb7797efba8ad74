// The simulation API (/api/v1/entitlements/simulations, officer and admin: entitlements.simulate)
// and the public list of parameters in force (/api/v1/entitlements/parameters), as the page uses
// them. The figures' shapes are the server's own (src/entitlements/simulate.ts).
import { query, request } from '../../api.ts';
import type { Example, ParameterChange, SchemeFigures, SimScheme, SimulationResult } from '../../../../src/entitlements/simulate.ts';

export type { Example, ParameterChange, SchemeFigures, SimScheme, SimulationResult };

/** The schemes a simulation reports on, in the order the page shows them. */
export const SIM_SCHEMES: readonly SimScheme[] = ['allowance', 'ltci', 'serviceSubsidy', 'basicBed'];

export type SimulationStatus = 'queued' | 'running' | 'done' | 'failed';

export interface Simulation {
  id: string;
  name: string;
  asOf: string;
  scopeCode: string;
  changes: ParameterChange[];
  baseVersion: string;
  status: SimulationStatus;
  statusName: string;
  done: number;
  total: number | null;
  result: SimulationResult | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export type Figures = SimulationResult['districts'][string]['schemes'][SimScheme];

export interface Citation {
  document: string;
  number: string | null;
  article: string;
  url?: string;
}

/** One parameter in force, as GET /entitlements/parameters lists it. */
export interface ParameterInForce {
  name: string;
  label: string;
  value: unknown;
  unit: string;
  scope: string;
  scopeName: string;
  level: string;
  from: string;
  to: string | null;
  citation: Citation;
  confidence: string;
  confidenceName: string;
}

export interface ParametersInForce {
  asOf: string;
  region: string;
  version: string;
  schemes: { scheme: string; name: string; parameters: ParameterInForce[] }[];
}

const enc = encodeURIComponent;

export const simulationApi = {
  parameters: (params: { asOf?: string; region?: string }, signal?: AbortSignal) =>
    request<ParametersInForce>(`/api/v1/entitlements/parameters${query(params)}`, { signal }),
  start: (body: { name: string; asOf?: string; changes: ParameterChange[] }) =>
    request<Simulation>('/api/v1/entitlements/simulations', { method: 'POST', json: body }),
  list: (signal?: AbortSignal) => request<{ items: Simulation[] }>('/api/v1/entitlements/simulations', { signal }),
  get: (id: string, signal?: AbortSignal) => request<Simulation>(`/api/v1/entitlements/simulations/${enc(id)}`, { signal }),
};

export const isActive = (s: Simulation) => s.status === 'queued' || s.status === 'running';
