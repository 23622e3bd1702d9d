/**
 * What the ASL's placeholders point at on a laptop, and the map from each Task state to the local code that
 * stands in for its Resource: a Lambda function's handler, or the local queue for `sqs:sendMessage`.
 */
import type { AslDefinition } from './definition';
import { placeholdersOf, taskStatesOf } from './definition';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';
export const STATE_MACHINE_NAME = 'CafeEtl';
const FUNCTION_PLACEHOLDER = /^([A-Za-z0-9]+)FunctionArn$/;
const QUEUE_PLACEHOLDER = /^([A-Za-z0-9]+)QueueUrl$/;
const LAMBDA_ARN = /^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:cafe-etl-([A-Za-z0-9]+)$/;
const SQS_SEND_MESSAGE = 'arn:aws:states:::sqs:sendMessage';

/** The Lambda functions the state machine calls, by name (task-functions.ts builds them). */
export const TASK_FUNCTION_NAMES = ['Plan', 'Extract', 'Transform', 'Load'] as const;
export type TaskFunctionName = (typeof TASK_FUNCTION_NAMES)[number];

/** A task's local stand-in: takes the state's effective input (after Parameters/ItemSelector). */
export type TaskHandler = (input: unknown) => Promise<unknown>;

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
}

/**
 * `overrides.taskResourceLocalHandlers` for aws-local-stepfunctions (keyed by state name), derived from each Task's
 * Resource. A Task whose Resource has no local stand-in is an error here, before any state runs.
 */
export function taskResourceLocalHandlers(definition: AslDefinition, targets: LocalTargets): Record<string, TaskHandler> {
  const handlers: Record<string, TaskHandler> = {};
  for (const { state, resource } of taskStatesOf(definition)) {
    if (handlers[state]) throw new Error(`two Task states are named '${state}': local handlers are keyed by state name`);
    const fn = LAMBDA_ARN.exec(resource)?.[1];
    if (fn) {
      const handler = targets.functions[fn];
      if (!handler) throw new Error(`Task state '${state}' calls function '${fn}', which has no local handler`);
      handlers[state] = handler;
    } else if (resource === SQS_SEND_MESSAGE) {
      handlers[state] = async (input) => {
        const { QueueUrl, MessageBody } = input as { QueueUrl?: unknown; MessageBody?: unknown };
        if (typeof QueueUrl !== 'string') throw new Error(`state '${state}': sqs:sendMessage without a QueueUrl`);
        // Step Functions serialises a JSON MessageBody to a string, as SQS needs.
        const body = typeof MessageBody === 'string' ? MessageBody : JSON.stringify(MessageBody);
        return { MessageId: await targets.sendMessage(QueueUrl, body) };
      };
    } else {
      throw new Error(`Task state '${state}' uses Resource '${resource}', which the local runner cannot run`);
    }
  }
  return handlers;
}
