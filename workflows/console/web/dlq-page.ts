/**
 * The failure DLQ: one row per execution the status-change rule reported (FAILED, TIMED_OUT or ABORTED), newest
 * first, with its status now and what to do about it, each linked to its execution.
 */
import type { Verdict } from '../../failures/dead-letters';
import * as api from './api';
import { h } from './dom';
import { dateTime } from './format';
import type { Page } from './executions-page';
import { toast } from './toast';

const VERDICT_TEXT: Record<Verdict, string> = {
  redrivable: 'Can be re-driven',
  'data-error': 'Fix the file and upload it again',
  superseded: 'Superseded by a later upload',
  succeeded: 'Succeeded since',
  running: 'Running',
  'unknown-execution': 'Execution not found',
};

export function dlqPage(): Page {
  const el = h('section', { class: 'dlq-page card', 'aria-label': 'Dead letters' });
  let redriving = false;

  async function redriveAll(page: Page): Promise<void> {
    redriving = true;
    await page.refresh();
    try {
      const outcome = await api.redriveDlq();
      const kept = outcome.executions.filter((r) => r.action === 'kept').length + outcome.foreign.length;
      const done = outcome.executions.length - outcome.executions.filter((r) => r.action === 'kept').length;
      toast(`Dead letters: ${done} execution(s) done with, ${kept} message(s) kept`, kept === 0 ? 'good' : 'bad');
    } catch (error) {
      toast(`DLQ redrive failed: ${(error as Error).message}`, 'bad');
    } finally {
      redriving = false;
      await page.refresh();
    }
  }

  const page: Page = {
    el,
    async refresh() {
      const { entries, foreign } = await api.listDlq();
      const newestFirst = [...entries].reverse();
      el.replaceChildren(
        h('div', { class: 'list-head' },
          h('div', {}, h('h2', {}, 'Dead letters'),
            h('div', { class: 'muted' }, 'One row per execution that failed, timed out or was aborted (EventBridge status-change rule): what it is now, and what to do.')),
          entries.length > 0
            ? h('button', { class: 'primary', id: 'redrive-dlq', disabled: redriving, onclick: () => void redriveAll(page) }, redriving ? 'Redriving…' : '↻ Redrive all')
            : null),
        entries.length === 0 && foreign.length === 0
          ? h('p', { class: 'empty' }, 'The dead-letter queue is empty.')
          : h('table', { class: 'grid' },
            h('thead', {}, h('tr', {}, ['Sent', 'Execution', 'Status', 'Now', 'State', 'Error', 'Cause', 'Input', 'What to do'].map((c) => h('th', {}, c)))),
            h('tbody', {},
              newestFirst.map((e) => h('tr', { 'data-execution': e.name, 'data-verdict': e.verdict },
                h('td', { class: 'nowrap' }, dateTime(e.sentAt)),
                h('td', {}, h('a', { href: `#/executions/${encodeURIComponent(e.name)}`, title: e.executionArn }, e.name)),
                h('td', {}, e.message.status),
                h('td', {}, e.statusNow ?? '-'),
                h('td', {}, e.failedState ?? '-'),
                h('td', {}, h('code', {}, e.dataError ?? e.message.error ?? '-')),
                h('td', { class: 'cause-cell' }, e.message.cause ?? ''),
                h('td', { class: 'mono' }, `s3://${e.message.input.bucket}/${e.message.input.key}`),
                h('td', {}, VERDICT_TEXT[e.verdict]))),
              foreign.map((f) => h('tr', { 'data-message-id': f.messageId, class: 'undecodable' },
                h('td', {}, '-'), h('td', { colspan: 8 }, h('strong', {}, 'Unreadable message: '), f.problem, h('pre', {}, f.body)))))),
      );
    },
  };
  return page;
}
