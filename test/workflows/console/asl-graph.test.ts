import * as fs from 'node:fs';
import * as path from 'node:path';
import { aslGraph, END_ID, START_ID } from '../../../workflows/console/asl-graph';

const definition: unknown = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../statemachine.asl.json'), 'utf8'));

describe('aslGraph over statemachine.asl.json', () => {
  const graph = aslGraph(definition);
  const edge = (from: string, to: string) => graph.edges.find((e) => e.from === from && e.to === to);

  it('has a node for every state, the Map inner states nested under the Map', () => {
    const ids = graph.nodes.map((n) => n.id).sort();
    expect(ids).toEqual([START_ID, END_ID, 'Chunks', 'Chunks/Extract', 'Chunks/Transform', 'ChunksFailed', 'Failed', 'Load', 'LoadFailed', 'Plan', 'PlanFailed', 'RecordFailure'].sort());
    expect(graph.nodes.find((n) => n.id === 'Chunks/Extract')).toMatchObject({ state: 'Extract', parent: 'Chunks', kind: 'Task' });
    expect(graph.nodes.find((n) => n.id === 'Chunks')?.kind).toBe('Map');
    expect(graph.nodes.find((n) => n.id === 'Failed')?.kind).toBe('Fail');
  });

  it('draws Next transitions, Catch edges and the Map iteration', () => {
    expect(edge(START_ID, 'Plan')?.kind).toBe('start');
    expect(edge('Plan', 'Chunks')?.kind).toBe('next');
    expect(edge('Chunks', 'Load')?.kind).toBe('next');
    expect(edge('Chunks', 'Chunks/Extract')?.label).toBe('each item');
    expect(edge('Chunks/Extract', 'Chunks/Transform')?.kind).toBe('next');
    expect(edge('Load', 'LoadFailed')).toEqual({ from: 'Load', to: 'LoadFailed', kind: 'catch', label: 'Catch States.ALL' });
    expect(edge('RecordFailure', 'Failed')?.kind).toBe('next');
    expect(edge('RecordFailure', 'Failed')).toBeDefined();
    expect(graph.edges.filter((e) => e.kind === 'catch').map((e) => e.from).sort()).toEqual(['Chunks', 'Load', 'Plan', 'RecordFailure']);
  });

  it('ends at End from the top-level terminal states only', () => {
    expect(graph.edges.filter((e) => e.to === END_ID).map((e) => e.from).sort()).toEqual(['Failed', 'Load']);
  });

  it('keeps each state’s declared retry policy', () => {
    const load = graph.nodes.find((n) => n.id === 'Load');
    expect(load?.retry?.[1]).toEqual(expect.objectContaining({ maxAttempts: 4, errorEquals: expect.arrayContaining(['CafeEtl.WarehouseUnavailable']) }));
  });

  it('rejects a definition without StartAt or States', () => {
    expect(() => aslGraph({ States: {} })).toThrow(/StartAt/);
  });

  it('follows Choice rules and Default', () => {
    const choice = aslGraph({ StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Next: 'A' }], Default: 'B' }, A: { Type: 'Succeed' }, B: { Type: 'Fail' } } });
    expect(choice.edges).toEqual(expect.arrayContaining([
      { from: 'C', to: 'A', kind: 'choice', label: 'rule 1' },
      { from: 'C', to: 'B', kind: 'default', label: 'default' },
    ]));
  });
});
