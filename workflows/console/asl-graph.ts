/**
 * The execution graph's shape, read from the state machine definition itself (never restated in code):
 * one node per state (a Map's or Parallel's inner states nested under it), one edge per Next, Default,
 * Choice rule and Catch. Pure: the server hands the result to the page, which only lays it out and paints it.
 */
import { decodeDefinition, type AslDefinition } from '../runner/definition';

export type GraphNodeKind = 'Start' | 'End' | 'Task' | 'Map' | 'Parallel' | 'Pass' | 'Choice' | 'Wait' | 'Succeed' | 'Fail';

export interface GraphNode {
  /** Unique in the graph: the state name, prefixed by its enclosing states' names (`Chunks/Extract`). */
  id: string;
  /** The state name, as history events name it. */
  state: string;
  kind: GraphNodeKind;
  /** The id of the Map/Parallel node whose iteration this state runs in. */
  parent?: string;
  comment?: string;
  /** Retry policies, as declared, for the detail panel. */
  retry?: { errorEquals: string[]; maxAttempts: number }[];
}

export type GraphEdgeKind = 'next' | 'catch' | 'choice' | 'default' | 'start' | 'end';

export interface GraphEdge {
  from: string;
  to: string;
  kind: GraphEdgeKind;
  label?: string;
}

export interface AslGraph { nodes: GraphNode[]; edges: GraphEdge[] }

export const START_ID = '(start)';
export const END_ID = '(end)';

const KINDS: ReadonlySet<string> = new Set(['Task', 'Map', 'Parallel', 'Pass', 'Choice', 'Wait', 'Succeed', 'Fail']);

export function aslGraph(definition: unknown): AslGraph {
  const machine = decodeDefinition(definition);
  const graph: AslGraph = { nodes: [{ id: START_ID, state: 'Start', kind: 'Start' }], edges: [] };
  const terminals = addMachine(graph, machine, undefined);
  graph.nodes.push({ id: END_ID, state: 'End', kind: 'End' });
  graph.edges.push({ from: START_ID, to: machine.StartAt, kind: 'start' });
  for (const id of terminals) graph.edges.push({ from: id, to: END_ID, kind: 'end' });
  return graph;
}

/** Adds a (sub-)machine's states and edges; returns the ids of its states that end it (End, Succeed, Fail). */
function addMachine(graph: AslGraph, machine: AslDefinition, parent: string | undefined): string[] {
  const idOf = (name: string) => (parent === undefined ? name : `${parent}/${name}`);
  const terminals: string[] = [];
  for (const [name, state] of Object.entries(machine.States ?? {})) {
    const id = idOf(name);
    const kind = KINDS.has(state.Type ?? '') ? (state.Type as GraphNodeKind) : 'Task';
    graph.nodes.push({
      id,
      state: name,
      kind,
      ...(parent === undefined ? {} : { parent }),
      ...(state.Comment === undefined ? {} : { comment: state.Comment }),
      ...(state.Retry === undefined
        ? {}
        : { retry: state.Retry.map((r) => ({ errorEquals: r.ErrorEquals ?? [], maxAttempts: r.MaxAttempts ?? 3 })) }),
    });
    if (state.Next !== undefined) graph.edges.push({ from: id, to: idOf(state.Next), kind: 'next' });
    if (state.Default !== undefined) graph.edges.push({ from: id, to: idOf(state.Default), kind: 'default', label: 'default' });
    (state.Choices ?? []).forEach((choice, index) => {
      if (choice.Next !== undefined) graph.edges.push({ from: id, to: idOf(choice.Next), kind: 'choice', label: `rule ${index + 1}` });
    });
    for (const c of state.Catch ?? []) {
      if (c.Next !== undefined) graph.edges.push({ from: id, to: idOf(c.Next), kind: 'catch', label: `Catch ${(c.ErrorEquals ?? []).join(', ')}` });
    }
    if (state.End === true || kind === 'Succeed' || kind === 'Fail') terminals.push(id);
    for (const inner of [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])]) {
      if (inner?.StartAt === undefined) continue;
      addMachine(graph, inner, id);
      graph.edges.push({ from: id, to: `${id}/${inner.StartAt}`, kind: 'start', label: kind === 'Map' ? 'each item' : 'branch' });
    }
  }
  return terminals;
}
