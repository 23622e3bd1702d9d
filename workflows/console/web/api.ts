/** The page's calls to its server. The token (from the page's meta tag) goes on every state-changing request. */
import type {
  Dashboard, DashboardFilter, DeadLetterList, RedriveResult, ExecutionDetail, ExecutionFilter, ExecutionSummary, RedriveOutcome,
} from '../backend';

const token = document.querySelector<HTMLMetaElement>('meta[name="cafe-etl-token"]')?.content ?? '';

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  const body = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `${response.status} ${response.statusText}`);
  return body;
}

export const listExecutions = (filter: ExecutionFilter) =>
  getJson<ExecutionSummary[]>(`/api/executions${filter.status ? `?status=${filter.status}` : ''}`);

export const getExecution = (id: string) => getJson<ExecutionDetail>(`/api/executions/${encodeURIComponent(id)}`);

export const listDlq = () => getJson<DeadLetterList>('/api/dlq');

export function getDashboard(filter: DashboardFilter): Promise<Dashboard> {
  const params = new URLSearchParams();
  if (filter.from) params.set('from', filter.from);
  if (filter.to) params.set('to', filter.to);
  for (const branch of filter.branches ?? []) params.append('branch', branch);
  return getJson<Dashboard>(`/api/dashboard?${params.toString()}`);
}

async function post<T>(url: string): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'x-cafe-etl-token': token, accept: 'application/json' } });
  const body = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `${response.status} ${response.statusText}`);
  return body;
}

export const redrive = (id: string) => post<RedriveOutcome>(`/api/executions/${encodeURIComponent(id)}/redrive`);

export const redriveDlq = () => post<RedriveResult>('/api/dlq/redrive');
