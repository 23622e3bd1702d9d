/** The failure DLQ: every message RecordFailure left, newest first, each linked to its execution. */
import * as api from './api';
import { h } from './dom';
import { dateTime } from './format';
import type { Page } from './executions-page';

export function dlqPage(): Page {
  const el = h('section', { class: 'dlq-page card', 'aria-label': 'Dead letters' });
  return {
    el,
    async refresh() {
      const entries = (await api.listDlq()).reverse();
      el.replaceChildren(
        h('div', { class: 'list-head' }, h('h2', {}, 'Dead letters'),
          h('span', { class: 'muted' }, 'Failure messages from RecordFailure: what failed and the input to re-drive it. Re-drive from the execution, or with `cafe-etl dlq redrive`.')),
        entries.length === 0
          ? h('p', { class: 'empty' }, 'The dead-letter queue is empty.')
          : h('table', { class: 'grid' },
            h('thead', {}, h('tr', {}, ['Sent', 'Execution', 'State', 'Error', 'Cause', 'Input'].map((c) => h('th', {}, c)))),
            h('tbody', {}, entries.map((e) => e.message
              ? h('tr', { 'data-message-id': e.id },
                h('td', { class: 'nowrap' }, dateTime(e.sentAt)),
                h('td', {}, h('a', { href: `#/executions/${encodeURIComponent(e.message.executionId)}` }, e.message.executionId)),
                h('td', {}, e.message.state),
                h('td', {}, h('code', {}, e.message.error)),
                h('td', { class: 'cause-cell' }, e.message.cause),
                h('td', { class: 'mono' }, `s3://${e.message.input.bucket}/${e.message.input.key}`))
              : h('tr', { 'data-message-id': e.id, class: 'undecodable' },
                h('td', {}, dateTime(e.sentAt)), h('td', { colspan: 5 }, h('strong', {}, 'Unreadable message: '), e.problem ?? '', h('pre', {}, e.raw)))))),
      );
    },
  };
}
