/**
 * aws-local-stepfunctions, loaded when a state machine is first built rather than when the runner is: listing or
 * describing executions never runs one. Two of the packages it requires at load are deferred further, to their first
 * use (deferred-require.ts): the ASL validator, needed only for a definition not yet validated in this home
 * (validated-definitions.ts), and the AWS Lambda client, needed only for a Task without a local function (never, in
 * the local runner). Together they were ~0.2 s of every run's start.
 */
import './polyfill';
import type * as Library from 'aws-local-stepfunctions';
import { requireDeferring } from './deferred-require';

export type { StateMachine, StateMachineDefinition } from 'aws-local-stepfunctions';

const DEFERRED = ['asl-validator', '@aws-sdk/client-lambda', '@aws-sdk/credential-providers'] as const;

export const interpreterLibrary = (): typeof Library =>
  requireDeferring(require, 'aws-local-stepfunctions', DEFERRED) as typeof Library;
