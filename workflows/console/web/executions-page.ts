/**
 * The executions page: the list (filter by status) beside the selected execution: its summary, failure and
 * Redrive button, its graph, and the clicked state's input, output, error, cause, retries and duration.
 */
import { UNSUCCESSFUL_STATUSES, type ExecutionStatus, type StateRun, type StateRunStatus } from '../../history/types';
import type { ExecutionDetail, ExecutionSummary } from '../backend';
import type { GraphNode } from '../asl-graph';
import * as api from './api';
import { h } from './dom';
import { ago, dateTime, duration, integer, json } from './format';
import { fitGraph, renderGraph, STATUS_LABEL } from './graph-view';
import { toast } from './toast';

export interface Page { el: HTMLElement; refresh(): Promise<void> }

const FILTERS: readonly (ExecutionStatus | '')[] = ['', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];
const LEGEND: readonly StateRunStatus[] = ['SUCCEEDED', 'FAILED', 'CAUGHT', 'RETRIED', 'RUNNING', 'NOT_REACHED'];

export function executionsPage(selectedId: string | undefined): Page {
  let filter: ExecutionStatus | '' = '';
  let selectedNode: string | undefined;
  let selectedRun: number | undefined;
  let redriving = false;
  const list = h('section', { class: 'exec-list', 'aria-label': 'Executions' });
  const detail = h('section', { class: 'exec-detail', 'aria-label': 'Execution' });
  const el = h('div', { class: 'executions-page' }, list, detail);

  // A DLQ message names its execution by ARN; the list by name.
  const isSelected = (id: string) => selectedId !== undefined && (id === selectedId || selectedId.endsWith(`:${id}`));

  async function refreshList(): Promise<void> {
    const executions = await api.listExecutions(filter ? { status: filter } : {});
    list.replaceChildren(
      h('div', { class: 'list-head' },
        h('h2', {}, 'Executions'),
        h('div', { class: 'segmented', role: 'group', 'aria-label': 'Filter by status' },
          FILTERS.map((f) => h('button', {
            class: f === filter ? 'active' : '',
            'data-filter': f || 'ALL',
            onclick: () => { filter = f; void refreshList(); },
          }, f === '' ? 'All' : STATUS_TEXT[f])))),
      executions.length === 0
        ? h('p', { class: 'empty' }, filter ? `No ${STATUS_TEXT[filter].toLowerCase()} executions.` : 'No executions yet. Run `cafe-etl run FILE…` or `cafe-etl watch`, and they appear here.')
        : h('ul', { class: 'rows' }, executions.map(row)),
    );
  }

  function row(e: ExecutionSummary): HTMLElement {
    return h('li', {},
      h('a', { href: `#/executions/${encodeURIComponent(e.executionId)}`, class: `exec-row${isSelected(e.executionId) ? ' selected' : ''}`, 'data-execution-id': e.executionId },
        h('div', { class: 'row-top' }, statusBadge(e.status), h('span', { class: 'file', title: `s3://${e.bucket}/${e.key}` }, e.key)),
        h('div', { class: 'row-meta' },
          h('span', { title: dateTime(e.startedAt) }, ago(e.startedAt)),
          h('span', {}, duration(e.durationMs)),
          e.rows ? h('span', {}, `${integer(e.rows.out)} rows`, e.rows.rejected > 0 ? h('span', { class: 'rejected' }, ` · ${integer(e.rows.rejected)} rejected`) : null) : null,
          e.redriveCount > 0 ? h('span', { class: 'redrives' }, `↻ ${e.redriveCount}`) : null,
          e.failure ? h('span', { class: 'fail-where' }, `${e.failure.state}: ${e.failure.error}`) : null)));
  }

  async function refreshDetail(): Promise<void> {
    if (selectedId === undefined) {
      detail.replaceChildren(h('div', { class: 'placeholder' }, h('p', {}, 'Select an execution to see its graph.')));
      return;
    }
    let execution: ExecutionDetail;
    try {
      execution = await api.getExecution(selectedId);
    } catch (error) {
      detail.replaceChildren(h('p', { class: 'empty' }, `Could not load ${selectedId}: ${(error as Error).message}`));
      return;
    }
    const { record } = execution;
    if (selectedNode === undefined || !execution.graph.nodes.some((n) => n.id === selectedNode)) {
      // Open on the state that failed, else on the first state.
      const failed = execution.graph.nodes.find((n) => n.parent === undefined && n.state === record.failure?.state);
      selectedNode = failed?.id ?? execution.graph.nodes[1]?.id;
    }
    const badges = nodeBadges(execution);
    const graph = renderGraph(execution.graph, execution.nodeStatus, {
      ...(selectedNode === undefined ? {} : { selected: selectedNode }),
      ...(record.failure === undefined ? {} : { failureState: record.failure.state }),
      badges,
      onSelect: (id) => { selectedNode = id; selectedRun = undefined; void refreshDetail(); },
    });
    const node = execution.graph.nodes.find((n) => n.id === selectedNode);
    detail.replaceChildren(h('div', {},
      h('div', { class: 'detail-head' },
        h('div', {},
          h('div', { class: 'eyebrow' }, `s3://${record.input.bucket}`),
          h('h2', { class: 'exec-title' }, record.input.key),
          h('div', { class: 'exec-id' }, record.executionId)),
        h('div', { class: 'head-actions' },
          statusBadge(record.status, 'large'),
          UNSUCCESSFUL_STATUSES.includes(record.status)
            ? h('button', { class: 'primary', id: 'redrive', disabled: redriving, onclick: () => void doRedrive(record.executionId) }, redriving ? 'Redriving…' : '↻ Redrive')
            : null)),
      record.failure
        ? h('div', { class: 'failure-banner', role: 'alert' },
          h('strong', {}, `${STATUS_TEXT[record.status]} in ${record.failure.state}`), ' · ', h('code', {}, record.failure.error),
          h('div', { class: 'cause' }, record.failure.cause))
        : null,
      h('dl', { class: 'facts' },
        fact('Started', dateTime(record.startedAt)),
        fact('Duration', duration(record.stoppedAt ? Date.parse(record.stoppedAt) - Date.parse(record.startedAt) : undefined)),
        fact('Rows in', record.rows ? integer(record.rows.in) : '—'),
        fact('Rows loaded', record.rows ? integer(record.rows.out) : '—'),
        fact('Rejected', record.rows ? integer(record.rows.rejected) : '—'),
        fact('Load', record.loadStatus ?? '—'),
        fact('Redrives', String(record.redriveCount))),
      h('div', { class: 'graph-and-panel' },
        h('div', { class: 'graph-card' },
          h('div', { class: 'legend' }, LEGEND.map((s) => h('span', { class: `chip status-${s}` }, h('i', {}), STATUS_LABEL[s]))),
          h('div', { class: 'graph-scroll' }, graph)),
        node ? statePanel(node, execution) : null),
    ));
    fitGraph(graph);
  }

  async function doRedrive(id: string): Promise<void> {
    redriving = true;
    await refreshDetail();
    try {
      const outcome = await api.redrive(id);
      toast(`Redrive of ${id} finished: ${STATUS_TEXT[outcome.status]}`, outcome.status === 'SUCCEEDED' ? 'good' : 'bad');
    } catch (error) {
      toast(`Redrive refused: ${(error as Error).message}`, 'bad');
    } finally {
      redriving = false;
      selectedNode = undefined;
      await Promise.all([refreshList(), refreshDetail()]);
    }
  }

  function statePanel(node: GraphNode, execution: ExecutionDetail): HTMLElement {
    const runs = execution.stateRuns.filter((r) => r.state === node.state && (node.parent === undefined) === (r.mapIndex === undefined));
    const status = execution.nodeStatus[node.id] ?? 'NOT_REACHED';
    // A Map state's iterations open on the first; a top-level state on its latest run (after a redrive, the re-run).
    const shown = Math.min(selectedRun ?? (node.parent === undefined ? runs.length - 1 : 0), runs.length - 1);
    const run: StateRun | undefined = runs[shown];
    return h('aside', { class: 'state-panel', 'aria-label': `State ${node.state}` },
      h('div', { class: 'panel-head' },
        h('h3', {}, node.state), statusBadge(status)),
      h('div', { class: 'panel-kind' }, `${node.kind}${node.parent ? ` inside ${node.parent}` : ''}`),
      node.comment ? h('p', { class: 'comment' }, node.comment) : null,
      runs.length > 1
        ? h('div', { class: 'iterations' }, h('label', {}, node.parent === undefined ? 'Run ' : 'Iteration ',
          h('select', { onchange: (e: Event) => { selectedRun = Number((e.target as HTMLSelectElement).value); void refreshDetail(); } },
            runs.map((r, i) => h('option', { value: i, selected: i === shown },
              `${r.mapIndex === undefined ? `${i + 1} of ${runs.length}` : `#${r.mapIndex}`} · ${STATUS_LABEL[r.status]}`)))))
        : null,
      run
        ? [
          h('dl', { class: 'facts small' },
            fact('Attempts', String(run.attempts)),
            fact('Retries', String(run.attempts - 1)),
            fact('Duration', duration(run.durationMs)),
            fact('Started', dateTime(run.startedAt))),
          run.error ? h('div', { class: 'error-box', 'data-testid': 'state-error' }, h('div', { class: 'label' }, 'Error'), h('code', {}, run.error)) : null,
          run.cause ? h('div', { class: 'error-box' }, h('div', { class: 'label' }, 'Cause'), h('pre', { 'data-testid': 'state-cause' }, run.cause)) : null,
          io('Input', run.input),
          io('Output', run.output),
        ]
        : h('p', { class: 'empty' }, 'This state did not run in this execution.'),
      node.retry?.length
        ? h('details', { class: 'retry-policy' }, h('summary', {}, 'Retry policy'),
          h('ul', {}, node.retry.map((r) => h('li', {}, `${r.maxAttempts} retries on ${r.errorEquals.join(', ')}`))))
        : null);
  }

  return {
    el,
    async refresh() {
      await Promise.all([refreshList(), refreshDetail()]);
    },
  };
}

const STATUS_TEXT: Record<ExecutionStatus, string> = { RUNNING: 'Running', SUCCEEDED: 'Succeeded', FAILED: 'Failed', TIMED_OUT: 'Timed out', ABORTED: 'Aborted' };

function statusBadge(status: ExecutionStatus | StateRunStatus, size = ''): HTMLElement {
  const text = status in STATUS_TEXT ? STATUS_TEXT[status as ExecutionStatus] : STATUS_LABEL[status as StateRunStatus];
  return h('span', { class: `badge status-${status} ${size}`, 'data-status': status }, text);
}

function fact(term: string, value: string): HTMLElement[] {
  return [h('dt', {}, term), h('dd', {}, value)];
}

function io(label: string, value: unknown): HTMLElement | null {
  if (value === undefined) return null;
  return h('details', { class: 'io', open: true }, h('summary', {}, label), h('pre', {}, json(value)));
}

/** The second line of each node: attempts for retried states, iterations for Map states. */
function nodeBadges(execution: ExecutionDetail): Record<string, string> {
  const badges: Record<string, string> = {};
  for (const node of execution.graph.nodes) {
    const runs = execution.stateRuns.filter((r) => r.state === node.state && (node.parent === undefined) === (r.mapIndex === undefined));
    if (runs.length === 0) continue;
    const attempts = runs.reduce((n, r) => n + r.attempts, 0);
    const total = runs.reduce((n, r) => n + (r.durationMs ?? 0), 0);
    const parts: string[] = [node.kind];
    if (node.parent !== undefined) parts.push(`${runs.length} item${runs.length === 1 ? '' : 's'}`);
    if (attempts > runs.length) parts.push(`${attempts - runs.length} retr${attempts - runs.length === 1 ? 'y' : 'ies'}`);
    if (total > 0) parts.push(duration(total));
    badges[node.id] = parts.join(' · ');
  }
  return badges;
}
