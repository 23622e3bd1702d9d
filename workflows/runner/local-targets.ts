/**
 * What the ASL's placeholders point at on a laptop, and the map from each Task state to the local code that
 * stands in for its Resource: a Lambda function's handler, the local queue for `sqs:sendMessage`, and for
 * `sqs:sendMessage.waitForTaskToken` the local queue and a wait for the task token's answer
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token).
 */
import type { AslDefinition } from './definition';
import { fillTaskToken, placeholdersOf, taskStatesOf } from './definition';
import { LocalTaskTokens } from '../../tasks/task-tokens/local';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';
export const STATE_MACHINE_NAME = 'CafeEtl';
const FUNCTION_PLACEHOLDER = /^([A-Za-z0-9]+)FunctionArn$/;
const QUEUE_PLACEHOLDER = /^([A-Za-z0-9]+)QueueUrl$/;
const LAMBDA_ARN = /^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:cafe-etl-([A-Za-z0-9]+)$/;
const SQS_SEND_MESSAGE = 'arn:aws:states:::sqs:sendMessage';
const SQS_SEND_MESSAGE_WAIT = 'arn:aws:states:::sqs:sendMessage.waitForTaskToken';

/** The Lambda functions the state machine calls, by name (task-functions.ts builds them). */
export const TASK_FUNCTION_NAMES = ['Plan', 'Extract', 'Transform', 'Load'] as const;
export type TaskFunctionName = (typeof TASK_FUNCTION_NAMES)[number];

/** A task's local stand-in: takes the state's effective input (after Parameters/ItemSelector). */
export type TaskHandler = (input: unknown) => Promise<unknown>;

/** What a local handler knows of the execution it runs in. */
export interface TaskRun {
  /** The execution's name: the owner of the task tokens it waits on. */
  executionId: string;
}
export type RunTaskHandler = (input: unknown, run: TaskRun) => Promise<unknown>;

/** `${PlanFunctionArn}` stands for the function named `Plan`. */
export function functionNameOf(placeholder: string): string | undefined {
  return FUNCTION_PLACEHOLDER.exec(placeholder)?.[1];
}

export function localFunctionArn(functionName: string): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:cafe-etl-${functionName}`;
}

export function localStateMachineArn(): string {
  return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${STATE_MACHINE_NAME}`;
}

/** The local URL of the queue behind `${<stem>QueueUrl}`, shaped as an SQS queue URL. */
export function localQueueUrl(stem: string): string {
  return `https://sqs.${LOCAL_REGION}.amazonaws.com/${LOCAL_ACCOUNT}/cafe-etl-${stem}`;
}

export function localExecutionArn(name: string): string {
  return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${STATE_MACHINE_NAME}:${name}`;
}

/** Values for every placeholder in the definition text: well-formed ARNs (the interpreter validates them). */
export function localPlaceholderValues(definitionText: string, queueUrls: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    placeholdersOf(definitionText).map((placeholder) => {
      const fn = functionNameOf(placeholder);
      if (fn) return [placeholder, localFunctionArn(fn)];
      const queue = QUEUE_PLACEHOLDER.exec(placeholder)?.[1];
      const url = queue ? queueUrls[queue] : undefined;
      if (url) return [placeholder, url];
      throw new Error(`placeholder \${${placeholder}} has no local value`);
    }),
  );
}

export interface LocalTargets {
  /** Handlers by function name (`Plan`, `Extract`, …). */
  functions: Readonly<Record<string, TaskHandler>>;
  /** Sends a message to the queue behind a local queue URL; returns the message id. */
  sendMessage(queueUrl: string, body: string): Promise<string>;
  /** Where a `.waitForTaskToken` Task waits for its answer (whoever reads the queue answers through it). */
  taskTokens?: LocalTaskTokens;
}

/**
 * `overrides.taskResourceLocalHandlers` for aws-local-stepfunctions (keyed by state name), derived from each Task's
 * Resource. A Task whose Resource has no local stand-in is an error here, before any state runs.
 */
export function taskResourceLocalHandlers(definition: AslDefinition, targets: LocalTargets): Record<string, RunTaskHandler> {
  const handlers: Record<string, RunTaskHandler> = {};
  for (const { state, resource, body } of taskStatesOf(definition)) {
    if (handlers[state]) throw new Error(`two Task states are named '${state}': local handlers are keyed by state name`);
    const fn = LAMBDA_ARN.exec(resource)?.[1];
    if (fn) {
      const handler = targets.functions[fn];
      if (!handler) throw new Error(`Task state '${state}' calls function '${fn}', which has no local handler`);
      handlers[state] = (input) => handler(input);
    } else if (resource === SQS_SEND_MESSAGE_WAIT) {
      handlers[state] = callbackHandler(state, body, targets);
    } else if (resource === SQS_SEND_MESSAGE) {
      handlers[state] = async (input) => {
        const { QueueUrl, MessageBody } = input as { QueueUrl?: unknown; MessageBody?: unknown };
        if (typeof QueueUrl !== 'string') throw new Error(`state '${state}': sqs:sendMessage without a QueueUrl`);
        // Step Functions serialises a JSON MessageBody to a string, as SQS needs.
        const text = typeof MessageBody === 'string' ? MessageBody : JSON.stringify(MessageBody);
        return { MessageId: await targets.sendMessage(QueueUrl, text) };
      };
    } else {
      throw new Error(`Task state '${state}' uses Resource '${resource}', which the local runner cannot run`);
    }
  }
  return handlers;
}

/**
 * `sqs:sendMessage.waitForTaskToken`: each attempt gets a token of its own (in the MessageBody where the ASL says
 * `$$.Task.Token`, see definition.ts withCallbackTokens), sends the message and waits for the token's answer: the
 * output of SendTaskSuccess is the task's result, SendTaskFailure fails it with the error given. The state's
 * TimeoutSeconds and HeartbeatSeconds are enforced here (States.Timeout, States.HeartbeatTimeout).
 */
function callbackHandler(state: string, body: AslDefinition['States'][string], targets: LocalTargets): RunTaskHandler {
  const tokens = targets.taskTokens;
  if (!tokens) throw new Error(`Task state '${state}' waits for a task token, and nothing local answers task tokens`);
  for (const path of ['TimeoutSecondsPath', 'HeartbeatSecondsPath']) {
    if (body[path] !== undefined) throw new Error(`Task state '${state}': ${path} is not supported by the local runner`);
  }
  const timing = {
    ...(typeof body.TimeoutSeconds === 'number' ? { timeoutSeconds: body.TimeoutSeconds } : {}),
    ...(typeof body.HeartbeatSeconds === 'number' ? { heartbeatSeconds: body.HeartbeatSeconds } : {}),
  };
  return async (input, run) => {
    const token = LocalTaskTokens.newToken();
    const { QueueUrl, MessageBody } = fillTaskToken(input, token) as { QueueUrl?: unknown; MessageBody?: unknown };
    if (typeof QueueUrl !== 'string') throw new Error(`state '${state}': sqs:sendMessage without a QueueUrl`);
    const answered = tokens.wait(token, run.executionId, timing);
    answered.catch(() => undefined); // an execution stopped before the message went out still ends its wait
    try {
      await targets.sendMessage(QueueUrl, typeof MessageBody === 'string' ? MessageBody : JSON.stringify(MessageBody));
    } catch (error) {
      tokens.cancel(token, error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    return answered;
  };
}
