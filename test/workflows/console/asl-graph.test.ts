import * as fs from 'node:fs';
import * as path from 'node:path';
import { aslGraph, END_ID, START_ID } from '../../../workflows/console/asl-graph';

const definition: unknown = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../statemachine.asl.json'), 'utf8'));

describe('aslGraph over statemachine.asl.json', () => {
  const graph = aslGraph(definition);
  const edge = (from: string, to: string) => graph.edges.find((e) => e.from === from && e.to === to);

  it('has a node for every state, the Map inner states nested under the Map', () => {
    const ids = graph.nodes.map((n) => n.id).sort();
    expect(ids).toEqual([START_ID, END_ID, 'AlreadyLoaded', 'Chunks', 'Chunks/Extract', 'Chunks/Transform', 'Load', 'NoChunks', 'Plan'].sort());
    expect(graph.nodes.find((n) => n.id === 'Chunks/Extract')).toMatchObject({ state: 'Extract', parent: 'Chunks', kind: 'Task' });
    expect(graph.nodes.find((n) => n.id === 'Chunks')?.kind).toBe('Map');
  });

  it('draws Next transitions and the Map iteration, and no catch path (failures stop where they happen)', () => {
    expect(edge(START_ID, 'Plan')?.kind).toBe('start');
    expect(edge('Plan', 'AlreadyLoaded')?.kind).toBe('next');
    expect(edge('AlreadyLoaded', 'NoChunks')?.kind).toBe('choice');
    expect(edge('AlreadyLoaded', 'Chunks')?.kind).toBe('default');
    expect(edge('NoChunks', 'Load')?.kind).toBe('next');
    expect(edge('Chunks', 'Load')?.kind).toBe('next');
    expect(edge('Chunks', 'Chunks/Extract')?.label).toBe('each item');
    expect(edge('Chunks/Extract', 'Chunks/Transform')?.kind).toBe('next');
    expect(graph.edges.filter((e) => e.kind === 'catch')).toEqual([]);
  });

  it('ends at End from the top-level terminal states only', () => {
    expect(graph.edges.filter((e) => e.to === END_ID).map((e) => e.from).sort()).toEqual(['Load']);
  });

  it('keeps each state’s declared retry policy', () => {
    const load = graph.nodes.find((n) => n.id === 'Load');
    expect(load?.retry?.[0]).toEqual(expect.objectContaining({ maxAttempts: 4, errorEquals: expect.arrayContaining(['CafeEtl.WarehouseUnavailable']) }));
  });

  it('rejects a definition without StartAt or States', () => {
    expect(() => aslGraph({ States: {} })).toThrow(/StartAt/);
  });

  it('draws a Catch edge where a definition has one', () => {
    const caught = aslGraph({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'r', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'F' }], End: true }, F: { Type: 'Fail' } } });
    expect(caught.edges).toContainEqual({ from: 'T', to: 'F', kind: 'catch', label: 'Catch States.ALL' });
  });

  it('follows Choice rules and Default', () => {
    const choice = aslGraph({ StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Next: 'A' }], Default: 'B' }, A: { Type: 'Succeed' }, B: { Type: 'Fail' } } });
    expect(choice.edges).toEqual(expect.arrayContaining([
      { from: 'C', to: 'A', kind: 'choice', label: 'rule 1' },
      { from: 'C', to: 'B', kind: 'default', label: 'default' },
    ]));
  });
});
