/**
 * How a failed execution is recorded in AWS: the deployed definition fails at the failed state (no Catch leads to a
 * Fail state), and the status-change rule puts one message per failed, timed-out or aborted execution on the
 * failure queue, in the shape FailureMessageCodec reads.
 */
import { isRight } from 'fp-ts/Either';
import { FAILED_STATUSES, FailureMessageCodec, readFailureMessage } from '../../workflows/failures/failure-message';
import {
  FAILURE_MESSAGE_PATHS,
  STATUS_CHANGE_DETAIL_TYPE,
  STATUS_CHANGE_SOURCE,
  failurePattern,
  transformFailureEvent,
  type StatusChangeEvent,
} from '../../workflows/failures/status-change-rule';
import { catchToFailPaths, deployedDefinition, scopesOf, type AslScope } from './definition';
import { everyStatement, actionsOf, type Statement } from './iam';
import { renderInputTransformer, type InputTransformer } from './input-transformer';
import { synthesize, type Synthesized } from './synth';

let s: Synthesized;
beforeAll(() => {
  s = synthesize();
});

const stateMachineRef = () => ({ Ref: s.logicalId(s.stack.pipeline.stateMachine) });
const queueArn = (q: { queue: Parameters<Synthesized['logicalId']>[0] }) => ({ 'Fn::GetAtt': [s.logicalId(q.queue), 'Arn'] });
const ruleArn = () => ({ 'Fn::GetAtt': [s.logicalId(s.stack.failureNotifications.rule), 'Arn'] });

interface RuleTarget {
  Arn: unknown;
  InputTransformer: InputTransformer;
  RetryPolicy: unknown;
  DeadLetterConfig: unknown;
}
const failureRule = () =>
  s.template.findResources('AWS::Events::Rule')[s.logicalId(s.stack.failureNotifications.rule)]!.Properties as {
    EventBusName?: unknown;
    EventPattern: unknown;
    State: string;
    Targets: RuleTarget[];
  };
const failureTarget = () => failureRule().Targets[0]!;

describe('the deployed definition', () => {
  // RedriveExecution "continues the failed execution from the unsuccessful step"
  // (https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html): after a Catch into a
  // Fail state that step is the Fail state itself, and the redrive would fail again at once.
  it('has no path from any Catch to a Fail state, in any scope', () => {
    const definition = deployedDefinition(s, s.logicalId(s.stack.pipeline.stateMachine));
    expect(scopesOf(definition).map((x) => x.name)).toContain('(top level) › Chunks');
    expect(catchToFailPaths(definition)).toEqual([]);
  });

  it('is walked through Next and Choice chains and into Map item processors and Parallel branches', () => {
    const failing: AslScope = {
      StartAt: 'Chunks',
      States: {
        Chunks: {
          Type: 'Map',
          End: true,
          ItemProcessor: {
            StartAt: 'Extract',
            States: {
              Extract: { Type: 'Task', End: true, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Record' }] },
              Record: { Type: 'Pass', Next: 'Which' },
              Which: { Type: 'Choice', Choices: [{ Next: 'Fine' }], Default: 'Failed' },
              Fine: { Type: 'Succeed' },
              Failed: { Type: 'Fail' },
            },
          },
        },
      },
    };
    expect(catchToFailPaths(failing)).toEqual(['(top level) › Chunks: Extract.Catch[0] → Record → Which → Failed (Fail)']);
    const parallel: AslScope = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          End: true,
          Branches: [{ StartAt: 'T', States: { T: { Type: 'Task', End: true, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'F' }] }, F: { Type: 'Fail' } } }],
        },
      },
    };
    expect(catchToFailPaths(parallel)).toEqual(['(top level) › Both[0]: T.Catch[0] → F (Fail)']);
    const handled: AslScope = {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Next: 'Done', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Recover' }] },
        Recover: { Type: 'Task', Next: 'Done' },
        Done: { Type: 'Succeed' },
        Unreachable: { Type: 'Fail' },
      },
    };
    expect(catchToFailPaths(handled)).toEqual([]);
  });
});

describe('the status-change rule', () => {
  // Step Functions sends "Step Functions Execution Status Change" events (source aws.states) to the default bus
  // (https://docs.aws.amazon.com/step-functions/latest/dg/eventbridge-integration.html).
  it("matches this state machine's FAILED, TIMED_OUT and ABORTED executions on the default bus", () => {
    const rule = failureRule();
    expect(rule.EventBusName).toBeUndefined();
    expect(rule.State).toBe('ENABLED');
    expect(rule.EventPattern).toEqual(failurePattern(stateMachineRef() as unknown as string));
    expect(rule.EventPattern).toEqual({
      source: [STATUS_CHANGE_SOURCE],
      'detail-type': [STATUS_CHANGE_DETAIL_TYPE],
      detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [stateMachineRef()] },
    });
    expect([...FAILED_STATUSES]).toEqual(['FAILED', 'TIMED_OUT', 'ABORTED']);
  });

  it('targets the failure queue with an input transformer made of FAILURE_MESSAGE_PATHS', () => {
    const target = failureTarget();
    expect(target.Arn).toEqual(queueArn(s.stack.failureQueue));
    const { InputPathsMap, InputTemplate } = target.InputTransformer;
    expect(Object.values(InputPathsMap).sort()).toEqual(Object.values(FAILURE_MESSAGE_PATHS).sort());
    // Every message field is a placeholder for its own path, standing as a JSON value.
    const template = JSON.parse(InputTemplate.replace(/<([\w.-]+)>/g, (_m, name: string) => JSON.stringify(`<${name}>`))) as Record<string, string>;
    expect(Object.keys(template).sort()).toEqual(Object.keys(FAILURE_MESSAGE_PATHS).sort());
    for (const [field, jsonPath] of Object.entries(FAILURE_MESSAGE_PATHS)) {
      const placeholder = template[field]!.replace(/^<|>$/g, '');
      expect(InputPathsMap[placeholder]).toBe(jsonPath);
    }
  });

  // A target's RetryPolicy bounds EventBridge's retries, after which an event goes to the target's dead-letter queue
  // instead of being dropped (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html,
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-event-delivery.html).
  it('retries for six hours and dead-letters what it cannot deliver in its own queue', () => {
    const target = failureTarget();
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 6 * 3600 });
    expect(target.DeadLetterConfig).toEqual({ Arn: queueArn(s.stack.failureRuleDeadLetterQueue) });
    expect(target.DeadLetterConfig).not.toEqual({ Arn: queueArn(s.stack.failureQueue) });
  });
});

describe('the queue policies', () => {
  const policyOf = (q: { queue: Parameters<Synthesized['logicalId']>[0] }) => {
    const id = s.logicalId(q.queue);
    const policy = Object.values(s.template.findResources('AWS::SQS::QueuePolicy')).find((p) =>
      JSON.stringify(p.Properties.Queues) === JSON.stringify([{ Ref: id }]),
    );
    return (policy?.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
  };
  const allowsEventsFrom = (statements: Statement[], queue: unknown, rule: unknown) =>
    statements.some(
      (st) =>
        st.Effect === 'Allow' &&
        JSON.stringify(st.Principal) === JSON.stringify({ Service: 'events.amazonaws.com' }) &&
        actionsOf(st).includes('sqs:SendMessage') &&
        JSON.stringify(st.Resource) === JSON.stringify(queue) &&
        JSON.stringify(st.Condition) === JSON.stringify({ ArnEquals: { 'aws:SourceArn': rule } }),
    );

  // An SQS target needs a queue policy letting events.amazonaws.com send, best scoped with aws:SourceArn to the rule
  // (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sqs-permissions).
  it('let events.amazonaws.com send to the failure queue and to the rule DLQ, only for the status-change rule', () => {
    expect(allowsEventsFrom(policyOf(s.stack.failureQueue), queueArn(s.stack.failureQueue), ruleArn())).toBe(true);
    expect(allowsEventsFrom(policyOf(s.stack.failureRuleDeadLetterQueue), queueArn(s.stack.failureRuleDeadLetterQueue), ruleArn())).toBe(true);
  });

  it('let no principal but EventBridge, for one rule, send anything, and deny non-TLS requests', () => {
    for (const q of [s.stack.failureQueue, s.stack.failureRuleDeadLetterQueue]) {
      const statements = policyOf(q);
      expect(JSON.stringify(statements)).toContain('"aws:SecureTransport":"false"');
      for (const st of statements.filter((x) => x.Effect === 'Allow')) {
        expect(st.Principal).toEqual({ Service: 'events.amazonaws.com' });
        expect(st.Condition).toEqual({ ArnEquals: { 'aws:SourceArn': ruleArn() } });
      }
    }
    // Nobody else in the template is allowed to send to the failure queue either (the state machine sends only to the
    // load queue, Load's request and task token).
    const senders = everyStatement(s.template).filter(
      (st) => st.Effect === 'Allow' && actionsOf(st).includes('sqs:SendMessage') && JSON.stringify(st.Resource).includes(s.logicalId(s.stack.failureQueue.queue)),
    );
    expect(senders.map((st) => st.Principal)).toEqual([{ Service: 'events.amazonaws.com' }]);
  });

  // The queues use SSE-SQS (SQS-owned keys): only a queue encrypted with a customer managed KMS key needs a key
  // policy letting the sending service (here events.amazonaws.com) use kms:GenerateDataKey and kms:Decrypt
  // (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html).
  it('encrypt the failure queue and the rule DLQ with SSE-SQS, so no key policy is needed for EventBridge', () => {
    for (const q of [s.stack.failureQueue, s.stack.failureRuleDeadLetterQueue]) {
      const props = s.template.findResources('AWS::SQS::Queue')[s.logicalId(q.queue)]!.Properties;
      expect(props).toMatchObject({ SqsManagedSseEnabled: true });
      expect(props.KmsMasterKeyId).toBeUndefined();
    }
  });
});

describe('the failure message', () => {
  const executionArn = 'arn:aws:states:eu-west-2:111122223333:execution:CafeEtl-pipeline:5e1c0c9a-8f3e-4a55-9a0e-2f7d0e5a1b11';
  const stateMachineArn = 'arn:aws:states:eu-west-2:111122223333:stateMachine:CafeEtl-pipeline';
  const event = (detail: Partial<StatusChangeEvent['detail']>): StatusChangeEvent => ({
    source: 'aws.states',
    'detail-type': 'Step Functions Execution Status Change',
    time: '2026-12-01T21:00:00Z',
    detail: {
      executionArn,
      stateMachineArn,
      name: '5e1c0c9a-8f3e-4a55-9a0e-2f7d0e5a1b11',
      status: 'FAILED',
      startDate: 1_764_622_800_000,
      stopDate: 1_764_622_860_000,
      input: JSON.stringify({ bucket: 'cafeetl-data', key: 'raw/leeds/2024-05-01 "late".csv' }),
      output: null,
      error: null,
      cause: null,
      redriveCount: 0,
      ...detail,
    },
  });
  const render = (e: StatusChangeEvent) => renderInputTransformer(failureTarget().InputTransformer, e);

  // The event's detail carries the execution input as a JSON string, and error/cause as strings, or null when the
  // execution has none (https://docs.aws.amazon.com/step-functions/latest/dg/eventbridge-integration.html); the input
  // transformer inserts each as the JSON value it is
  // (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html).
  it('decodes, for a FAILED execution with an error and a cause', () => {
    const cause = JSON.stringify({ errorType: 'NotCafeExportError', errorMessage: 'no row of "x.csv" decodes', trace: [] });
    const failed = event({ status: 'FAILED', error: 'CafeEtl.NotCafeExport', cause, redriveCount: 1 });
    const decoded = FailureMessageCodec.decode(JSON.parse(render(failed)));
    expect(isRight(decoded)).toBe(true);
    expect(readFailureMessage(render(failed))).toEqual({
      message: {
        executionArn,
        name: failed.detail.name,
        status: 'FAILED',
        error: 'CafeEtl.NotCafeExport',
        cause,
        input: { bucket: 'cafeetl-data', key: 'raw/leeds/2024-05-01 "late".csv' },
        redriveCount: 1,
        stopDate: 1_764_622_860_000,
      },
    });
  });

  it('decodes, for an ABORTED execution with neither error nor cause', () => {
    const aborted = event({ status: 'ABORTED' });
    expect(readFailureMessage(render(aborted))).toEqual({
      message: expect.objectContaining({ status: 'ABORTED', error: null, cause: null, input: { bucket: 'cafeetl-data', key: 'raw/leeds/2024-05-01 "late".csv' } }),
    });
  });

  it('decodes, for a TIMED_OUT execution', () => {
    const timedOut = event({ status: 'TIMED_OUT', error: 'States.Timeout', cause: null });
    expect(readFailureMessage(render(timedOut))).toEqual({ message: expect.objectContaining({ status: 'TIMED_OUT', error: 'States.Timeout' }) });
  });

  it('is the message the local event bus makes of the same event (one rule, two runtimes)', () => {
    for (const e of [event({ status: 'FAILED', error: 'CafeEtl.NotCafeExport', cause: '{"errorMessage":"x"}' }), event({ status: 'ABORTED' })]) {
      expect(JSON.parse(render(e))).toEqual(JSON.parse(transformFailureEvent(e)));
    }
  });
});
