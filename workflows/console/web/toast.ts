/** A short message at the bottom of the page (redrive results, errors). */
let timer: ReturnType<typeof setTimeout> | undefined;

export function toast(message: string, tone: 'good' | 'bad' = 'good'): void {
  const el = document.getElementById('toast');
  if (!el) return;
  el.textContent = message;
  el.className = `show ${tone}`;
  if (timer !== undefined) clearTimeout(timer);
  timer = setTimeout(() => { el.className = ''; }, 6000);
}
