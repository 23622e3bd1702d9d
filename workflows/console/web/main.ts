/** The console's page: a hash router over three pages, refreshed live by the server's change events. */
import { dashboardPage } from './dashboard-page';
import { dlqPage } from './dlq-page';
import { executionsPage, type Page } from './executions-page';
import { listDlq } from './api';
import { toast } from './toast';

let current: Page | undefined;
let currentRoute = '';

function route(): void {
  const hash = location.hash || '#/executions';
  const [, page = 'executions', id] = hash.split('/');
  if (hash === currentRoute) return;
  currentRoute = hash;
  current = page === 'trends' ? dashboardPage() : page === 'dlq' ? dlqPage() : executionsPage(id === undefined ? undefined : decodeURIComponent(id));
  document.querySelectorAll<HTMLAnchorElement>('nav.tabs a').forEach((tab) => {
    tab.classList.toggle('active', tab.dataset.page === (page === 'trends' || page === 'dlq' ? page : 'executions'));
  });
  document.getElementById('app')!.replaceChildren(current.el);
  void refresh();
}

async function refresh(): Promise<void> {
  const page = current;
  try {
    await Promise.all([page?.refresh(), countDeadLetters()]);
    document.body.dataset.loaded = currentRoute;
  } catch (error) {
    toast(`Could not load: ${(error as Error).message}`, 'bad');
  }
}

async function countDeadLetters(): Promise<void> {
  const count = document.getElementById('dlq-count')!;
  const { entries, foreign } = await listDlq();
  const total = entries.length + foreign.length;
  count.textContent = String(total);
  count.hidden = total === 0;
}

function live(): void {
  const indicator = document.getElementById('live')!;
  const text = document.getElementById('live-text')!;
  const events = new EventSource('/api/events');
  events.onopen = () => { indicator.className = 'live on'; text.textContent = 'live'; };
  events.onerror = () => { indicator.className = 'live off'; text.textContent = 'reconnecting'; };
  // A finished execution changes the warehouse too, so every page follows the changes.
  events.addEventListener('changed', () => void refresh());
}

window.addEventListener('hashchange', route);
route();
live();
