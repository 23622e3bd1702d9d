/**
 * The EventBridge rule that feeds the failure queue, stated once: the CDK stack deploys it (infra/), and the local
 * runner's event bus applies the very same pattern and input transformer to the local executions' status changes.
 *
 * Event shape: "Step Functions Execution Status Change" in the EventBridge events reference
 * (https://docs.aws.amazon.com/step-functions/latest/dg/eventbridge-integration.html); `detail.input` is the
 * execution input as a JSON string, `detail.error`/`detail.cause` are null when the execution has none.
 */
import { FAILED_STATUSES } from './failure-message';

export const STATUS_CHANGE_SOURCE = 'aws.states';
export const STATUS_CHANGE_DETAIL_TYPE = 'Step Functions Execution Status Change';

/** The pattern, for one state machine: its failed, timed-out and aborted executions. */
export function failurePattern(stateMachineArn: string) {
  return {
    source: [STATUS_CHANGE_SOURCE],
    'detail-type': [STATUS_CHANGE_DETAIL_TYPE],
    detail: { status: [...FAILED_STATUSES], stateMachineArn: [stateMachineArn] },
  };
}

/**
 * The input transformer: each message field and the event path it is taken from, inserted as the JSON value it is
 * (a string stays a string, null stays null). Pointers and names only: the input is `{bucket, key}`, never rows.
 */
export const FAILURE_MESSAGE_PATHS = {
  executionArn: '$.detail.executionArn',
  name: '$.detail.name',
  status: '$.detail.status',
  error: '$.detail.error',
  cause: '$.detail.cause',
  input: '$.detail.input',
  redriveCount: '$.detail.redriveCount',
  stopDate: '$.detail.stopDate',
} as const;

export interface StatusChangeEvent {
  source: string;
  'detail-type': string;
  time: string;
  detail: {
    executionArn: string;
    stateMachineArn: string;
    name: string;
    status: string;
    startDate: number;
    stopDate: number | null;
    input: string;
    output: string | null;
    error: string | null;
    cause: string | null;
    redriveCount: number;
  };
}

/** Whether the rule's pattern matches the event (exact-value matching, all the pattern uses). */
export function matchesFailurePattern(event: StatusChangeEvent, stateMachineArn: string): boolean {
  const pattern = failurePattern(stateMachineArn);
  return pattern.source.includes(event.source)
    && pattern['detail-type'].includes(event['detail-type'])
    && (pattern.detail.status as readonly string[]).includes(event.detail.status)
    && pattern.detail.stateMachineArn.includes(event.detail.stateMachineArn);
}

/** The message body the transformer makes of a matching event. */
export function transformFailureEvent(event: StatusChangeEvent): string {
  const at = (jsonPath: string): unknown =>
    jsonPath.replace(/^\$\./, '').split('.').reduce<unknown>((value, part) => (value as Record<string, unknown> | undefined)?.[part], event);
  return JSON.stringify(Object.fromEntries(Object.entries(FAILURE_MESSAGE_PATHS).map(([field, p]) => [field, at(p) ?? null])));
}
