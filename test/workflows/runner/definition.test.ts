import { placeholdersOf, readDefinitionText, startingAt, substitute, taskStatesOf, topLevelStateOf, withLambdaTimeouts } from '../../../workflows/runner/definition';
import { functionNameOf, localPlaceholderValues, taskResourceLocalHandlers } from '../../../workflows/runner/local-targets';
import { LocalTaskTokens } from '../../../tasks/task-tokens/local';
import { fakeTasks } from './fake-tasks';

const text = readDefinitionText();

describe('the definition as the runner reads it', () => {
  it('fills every placeholder with a well-formed local ARN or queue URL', () => {
    const values = localPlaceholderValues(text, { Load: 'https://sqs.us-east-1.amazonaws.com/000000000000/cafe-etl-Load' });
    expect(Object.keys(values).sort()).toEqual(placeholdersOf(text));
    for (const [name, value] of Object.entries(values)) {
      if (functionNameOf(name)) expect(value).toMatch(/^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:cafe-etl-[A-Za-z]+$/);
    }
    expect(JSON.stringify(substitute(text, values))).not.toMatch(/\$\{/);
  });

  it('maps every Lambda placeholder to a task handler, keyed by the state that uses it', () => {
    const definition = substitute(text, localPlaceholderValues(text, { Load: 'q' }));
    const functions = placeholdersOf(text).map(functionNameOf).filter((f): f is string => f !== undefined);
    const handlers = taskResourceLocalHandlers(definition, { functions: fakeTasks().functions, sendMessage: async () => 'id', taskTokens: new LocalTaskTokens() });
    expect(Object.keys(handlers).sort()).toEqual(taskStatesOf(definition).map((t) => t.state).sort());
    // Load is no Lambda any more: it waits for its token (a callback Task), so only the Map's tasks and Plan are functions.
    expect(functions.sort()).toEqual(['Extract', 'Plan', 'Transform']);
    expect(() => taskResourceLocalHandlers(definition, { functions: fakeTasks().functions, sendMessage: async () => 'id' })).toThrow(/Load' waits for a task token/);
  });

  it('refuses a placeholder it has no value for', () => {
    expect(() => substitute('{"a":"${Nope}"}', {})).toThrow(/\$\{Nope\}/);
    expect(() => localPlaceholderValues('"${OtherQueueUrl}"', { Load: 'q' })).toThrow(/OtherQueueUrl/);
  });

  it('knows which top-level state a nested state belongs to, and can start later in the same definition', () => {
    const definition = substitute(text, localPlaceholderValues(text, { Load: 'q' }));
    expect(topLevelStateOf(definition, 'Extract')).toBe('Chunks');
    expect(topLevelStateOf(definition, 'Load')).toBe('Load');
    expect(startingAt(definition, 'Load').StartAt).toBe('Load');
    expect(() => startingAt(definition, 'Extract')).toThrow(/not a top-level state/);
  });

  it('gives Tasks without a timeout Lambda’s ceiling instead of the interpreter’s 60 s', () => {
    const definition = withLambdaTimeouts(substitute(text, localPlaceholderValues(text, { Load: 'q' })));
    expect(definition.States.Plan!.TimeoutSeconds).toBe(900);
    expect(definition.States.Load!.TimeoutSeconds).toBe(1800); // its own
    expect(definition.States.Chunks!.ItemProcessor!.States.Extract!.TimeoutSeconds).toBe(900);
  });
});
