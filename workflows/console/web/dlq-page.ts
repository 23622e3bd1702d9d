/** The failure DLQ: every message RecordFailure left, newest first, each linked to its execution. */
import * as api from './api';
import { h } from './dom';
import { dateTime } from './format';
import type { Page } from './executions-page';
import { toast } from './toast';

export function dlqPage(): Page {
  const el = h('section', { class: 'dlq-page card', 'aria-label': 'Dead letters' });
  let redriving = false;

  async function redriveAll(page: Page): Promise<void> {
    redriving = true;
    await page.refresh();
    try {
      const outcome = await api.redriveDlq();
      const succeeded = outcome.redriven.filter((r) => r.status === 'SUCCEEDED').length;
      toast(`Re-drove ${outcome.redriven.length} execution(s): ${succeeded} succeeded, ${outcome.kept.length} message(s) kept`,
        outcome.kept.length === 0 && succeeded === outcome.redriven.length ? 'good' : 'bad');
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
      const entries = (await api.listDlq()).reverse();
      el.replaceChildren(
        h('div', { class: 'list-head' },
          h('div', {}, h('h2', {}, 'Dead letters'),
            h('div', { class: 'muted' }, 'Failure messages from RecordFailure: what failed, and the input to re-drive it.')),
          entries.length > 0
            ? h('button', { class: 'primary', id: 'redrive-dlq', disabled: redriving, onclick: () => void redriveAll(page) }, redriving ? 'Redriving…' : '↻ Redrive all')
            : null),
        entries.length === 0
          ? h('p', { class: 'empty' }, 'The dead-letter queue is empty.')
          : h('table', { class: 'grid' },
            h('thead', {}, h('tr', {}, ['Sent', 'Execution', 'State', 'Error', 'Cause', 'Input'].map((c) => h('th', {}, c)))),
            h('tbody', {}, entries.map((e) => e.message
              ? h('tr', { 'data-message-id': e.id },
                h('td', { class: 'nowrap' }, dateTime(e.sentAt)),
                h('td', {}, h('a', { href: `#/executions/${encodeURIComponent(e.message.executionId)}`, title: e.message.executionId },
                  // An execution ARN ends with the execution's name: that is what the list shows.
                  e.message.executionId.slice(e.message.executionId.lastIndexOf(':') + 1))),
                h('td', {}, e.message.state),
                h('td', {}, h('code', {}, e.message.error)),
                h('td', { class: 'cause-cell' }, e.message.cause),
                h('td', { class: 'mono' }, `s3://${e.message.input.bucket}/${e.message.input.key}`))
              : h('tr', { 'data-message-id': e.id, class: 'undecodable' },
                h('td', {}, dateTime(e.sentAt)), h('td', { colspan: 5 }, h('strong', {}, 'Unreadable message: '), e.problem ?? '', h('pre', {}, e.raw)))))),
      );
    },
  };
  return page;
}
