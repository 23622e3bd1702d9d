/**
 * The Lambda functions the state machine's Task states call, by function name (`${PlanFunctionArn}` → `Plan`),
 * built over one set of capabilities: the same handler code Lambda runs, with local adapters injected.
 */
import type { TaskCapabilities } from '../../tasks/capabilities/capabilities';
import { makeExtractHandler } from '../../tasks/extract/handler';
import { makeLoadHandler } from '../../tasks/load/handler';
import { makePlanHandler } from '../../tasks/plan/handler';
import { makeTransformHandler } from '../../tasks/transform/handler';
import type { TaskFunctionName, TaskHandler } from './local-targets';

export function taskFunctions(capabilities: TaskCapabilities): Record<TaskFunctionName, TaskHandler> {
  return {
    Plan: makePlanHandler(capabilities),
    Extract: makeExtractHandler(capabilities),
    Transform: makeTransformHandler(capabilities),
    Load: makeLoadHandler(capabilities),
  };
}
