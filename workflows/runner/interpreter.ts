/**
 * aws-local-stepfunctions, loaded when a state machine is first built rather than when the runner is: with its ASL
 * validator it is most of what the runner costs to load, and listing or describing executions never runs one.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import './polyfill';
import type * as Library from 'aws-local-stepfunctions';

export type { StateMachine, StateMachineDefinition } from 'aws-local-stepfunctions';

export const interpreterLibrary = (): typeof Library => require('aws-local-stepfunctions') as typeof Library;
