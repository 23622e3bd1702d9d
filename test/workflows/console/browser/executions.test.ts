import { describeWithChromium, openConsole, screenshot, type ConsoleUnderTest } from './harness';

describeWithChromium('console in the browser: executions, graph, redrive, DLQ', () => {
  let ui: ConsoleUnderTest;
  let FAILED_ID: string;
  let SUCCEEDED_ID: string;
  beforeAll(async () => {
    ui = await openConsole();
    FAILED_ID = ui.seeded.failed.executionId;
    SUCCEEDED_ID = ui.seeded.succeeded.executionId;
  }, 60_000);
  afterAll(() => ui?.close());

  it('lists both executions, newest first, and filters by status', async () => {
    const { page, server } = ui;
    await page.goto(`${server.url}#/executions`);
    const rows = page.locator('.exec-row');
    await rows.first().waitFor();
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-execution-id')))).toEqual([FAILED_ID, SUCCEEDED_ID]);
    await page.click('[data-filter="SUCCEEDED"]');
    await page.waitForFunction(() => document.querySelectorAll('.exec-row').length === 1);
    expect(await page.locator('.exec-row').getAttribute('data-execution-id')).toBe(SUCCEEDED_ID);
  });

  it('draws the failed execution from the ASL with the failed state highlighted and its error open', async () => {
    const { page, server } = ui;
    await page.goto(`${server.url}#/executions/${FAILED_ID}`);
    const load = page.locator('g.node[data-node-id="Load"]');
    await load.waitFor();
    // As the Step Functions console marks it: the state the execution stopped in is the failed one.
    expect(await load.getAttribute('data-status')).toBe('FAILED');
    expect(await load.getAttribute('class')).toContain('failure-origin');
    expect(await page.locator('g.node[data-node-id="Chunks/Extract"]').getAttribute('data-status')).toBe('RETRIED');
    // Every state of the ASL is drawn, the Map's inner states inside its box, and no catch path.
    expect(await page.locator('g.node[data-state]').count()).toBe(7);
    expect(await page.locator('g.cluster').count()).toBe(1);
    expect(await page.locator('g.edge-catch').count()).toBe(0);
    await expect(page.locator('.failure-banner').innerText()).resolves.toContain('CafeEtl.WarehouseUnavailable');
    // The failed state opens selected: its error, cause, retries and duration are shown.
    const panel = page.locator('.state-panel');
    await expect(panel.locator('h3').innerText()).resolves.toBe('Load');
    await expect(panel.locator('[data-testid="state-error"]').innerText()).resolves.toContain('CafeEtl.WarehouseUnavailable');
    await expect(panel.locator('[data-testid="state-cause"]').innerText()).resolves.toContain('connection refused');
    await expect(panel.locator('.facts').innerText()).resolves.toMatch(/Attempts\s*5\s*Retries\s*4\s*Duration\s*\d/i);
    await screenshot(page, 'executions-failed');
  });

  it('shows a clicked state’s input and output, per Map iteration', async () => {
    const { page } = ui;
    await page.click('g.node[data-node-id="Chunks/Extract"]');
    await page.locator('g.node.selected[data-node-id="Chunks/Extract"]').waitFor();
    const panel = page.locator('.state-panel');
    await expect(panel.locator('h3').innerText()).resolves.toBe('Extract');
    await expect(panel.locator('select option').count()).resolves.toBe(2);
    await expect(panel.innerText()).resolves.toMatch(/Attempts\s*2/i);
    await expect(panel.locator('details.io').first().innerText()).resolves.toContain('"chunk"');
    await page.selectOption('.state-panel select', '1');
    await page.locator('.state-panel select option[value="1"][selected]').waitFor({ state: 'attached' });
    await expect(page.locator('.state-panel').innerText()).resolves.toMatch(/Attempts\s*1/i);
  });

  it('lists the dead letter with what failed, what it is now and the input to re-drive it', async () => {
    const { page, server } = ui;
    await page.goto(`${server.url}#/dlq`);
    const row = page.locator('table.grid tbody tr');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    await expect(row.innerText()).resolves.toMatch(/FAILED[\s\S]*FAILED[\s\S]*Load[\s\S]*CafeEtl\.WarehouseUnavailable[\s\S]*s3:\/\/local\/raw\/leeds\/leeds_2024-03-01\.csv[\s\S]*Can be re-driven/);
    await screenshot(page, 'dlq');
  });

  it('re-drives the failed execution from its page and shows it succeed', async () => {
    const { page, server } = ui;
    await page.goto(`${server.url}#/executions/${FAILED_ID}`);
    ui.seeded.fixWarehouse();
    await page.locator('#redrive').click();
    await page.locator('.detail-head .badge[data-status="SUCCEEDED"]').waitFor();
    await page.locator('g.node[data-node-id="Load"][data-status="SUCCEEDED"]').waitFor();
    expect(await page.locator('#redrive').count()).toBe(0);
    await expect(page.locator('.facts').first().innerText()).resolves.toMatch(/Redrives\s*1/i);
    await expect(page.locator(`.exec-row[data-execution-id="${FAILED_ID}"]`).innerText()).resolves.toContain('↻ 1');
    await screenshot(page, 'executions-redriven');
  });

  it('re-drives the DLQ: the message of the execution already re-driven is cleared', async () => {
    const { page, server } = ui;
    await page.goto(`${server.url}#/dlq`);
    await page.locator('#redrive-dlq').click();
    await page.locator('.dlq-page .empty').waitFor();
    await expect(page.locator('#toast').innerText()).resolves.toMatch(/1 execution\(s\) done with, 0 message\(s\) kept/);
    // The count in the tab follows through the live change events.
    await page.locator('#dlq-count').waitFor({ state: 'hidden' });
  });
});
