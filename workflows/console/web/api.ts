/** The page's calls to its server. The token (from the page's meta tag) goes on every state-changing request. */
import type {
  Dashboard, DashboardFilter, DeadLetterList, RedriveResult, ExecutionDetail, ExecutionFilter, ExecutionSummary, RedriveOutcome,
} from '../backend';

import { isLeft } from 'fp-ts/Either';
import { ErrorBodyCodec, decodeDashboard } from '../dashboard-codec';
import { decodeDeadLetters, decodeExecutionDetail, decodeExecutions, decodeRedriveOutcome, decodeRedriveResult } from '../response-codecs';

const token = document.querySelector<HTMLMetaElement>('meta[name="cafe-etl-token"]')?.content ?? '';

/** A failed response's message, from its `{error}` body when it has one. */
function failure(response: Response, body: unknown): Error {
  const decoded = ErrorBodyCodec.decode(body);
  return new Error(isLeft(decoded) ? `${response.status} ${response.statusText}` : decoded.right.error);
}

async function getJson<T>(url: string, decode: (body: unknown) => T): Promise<T> {
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  const body: unknown = await response.json();
  if (!response.ok) throw failure(response, body);
  return decode(body);
}

export const listExecutions = (filter: ExecutionFilter) =>
  getJson<ExecutionSummary[]>(`/api/executions${filter.status ? `?status=${filter.status}` : ''}`, decodeExecutions);

export const getExecution = (id: string) => getJson<ExecutionDetail>(`/api/executions/${encodeURIComponent(id)}`, decodeExecutionDetail);

export const listDlq = () => getJson<DeadLetterList>('/api/dlq', decodeDeadLetters);

export function getDashboard(filter: DashboardFilter): Promise<Dashboard> {
  const params = new URLSearchParams();
  if (filter.from) params.set('from', filter.from);
  if (filter.to) params.set('to', filter.to);
  for (const branch of filter.branches ?? []) params.append('branch', branch);
  if (filter.product) {
    params.set('product', filter.product.product);
    params.set('size', filter.product.size);
    if (filter.product.flavour !== null) params.set('flavour', filter.product.flavour);
  }
  return getJson(`/api/dashboard?${params.toString()}`, decodeDashboard);
}

async function post<T>(url: string, decode: (body: unknown) => T): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'x-cafe-etl-token': token, accept: 'application/json' } });
  const body: unknown = await response.json();
  if (!response.ok) throw failure(response, body);
  return decode(body);
}

export const redrive = (id: string) => post<RedriveOutcome>(`/api/executions/${encodeURIComponent(id)}/redrive`, decodeRedriveOutcome);

export const redriveDlq = () => post<RedriveResult>('/api/dlq/redrive', decodeRedriveResult);
