/**
 * Draws an execution's graph: the state machine's own states and transitions (from the server's AslGraph), laid
 * out by dagre, painted in SVG by what each state did in this execution. A Map is a dashed box holding its
 * inner states, entered through the Map's own node and left from its box.
 */
import dagre from '@dagrejs/dagre';
import type { StateRunStatus } from '../../history/types';
import type { AslGraph, GraphEdge, GraphNode } from '../asl-graph';
import { svg } from './dom';

export const STATUS_LABEL: Record<StateRunStatus, string> = {
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
  CAUGHT: 'Caught error',
  RETRIED: 'Retried, then succeeded',
  RUNNING: 'Running',
  NOT_REACHED: 'Not reached',
};

interface Box { x: number; y: number; width: number; height: number }
interface Point { x: number; y: number }

const CONTAINERS = new Set(['Map', 'Parallel']);

export function renderGraph(
  graph: AslGraph,
  status: Record<string, StateRunStatus>,
  options: { selected?: string; failureState?: string; badges: Record<string, string>; onSelect(nodeId: string): void },
): SVGSVGElement {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const children = (id: string) => graph.nodes.filter((n) => n.parent === id);
  const isContainer = (n: GraphNode) => CONTAINERS.has(n.kind) && children(n.id).length > 0;
  const clusterOf = (id: string) => `cluster:${id}`;

  const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 36, ranksep: 40, edgesep: 16, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) {
    const terminal = node.kind === 'Start' || node.kind === 'End';
    const sub = options.badges[node.id] ?? `${node.kind} · not reached`;
    const width = terminal ? 78 : Math.max(150, node.state.length * 8 + 48, sub.length * 6 + 34);
    g.setNode(node.id, { width, height: terminal ? 30 : 50 });
    if (isContainer(node)) {
      g.setNode(clusterOf(node.id), { paddingTop: 8, paddingBottom: 12 });
      g.setParent(node.id, clusterOf(node.id));
    }
    if (node.parent !== undefined) g.setParent(node.id, clusterOf(node.parent));
  }
  // dagre cannot route edges to a cluster, so an edge leaving a Map is laid out from the Map's last inner state.
  const lastInner = (id: string): string => {
    const inner = children(id);
    const exits = inner.filter((n) => !graph.edges.some((e) => e.from === n.id && e.kind !== 'catch' && byId.get(e.to)?.parent === id));
    return (exits.at(-1) ?? inner.at(-1))!.id;
  };
  const leavesContainer = (edge: GraphEdge) => {
    const from = byId.get(edge.from);
    return from !== undefined && isContainer(from) && byId.get(edge.to)?.parent !== edge.from;
  };
  graph.edges.forEach((edge, index) => {
    const label = edge.label !== undefined && edge.kind === 'catch' ? { width: edge.label.length * 6.4 + 12, height: 18, labelpos: 'c' } : {};
    g.setEdge(leavesContainer(edge) ? lastInner(edge.from) : edge.from, edge.to, { ...label, minlen: 1 }, String(index));
  });
  dagre.layout(g);

  const size = g.graph();
  const width = (size.width ?? 400) + 4;
  const height = (size.height ?? 300) + 4;
  const root = svg('svg', { class: 'graph', viewBox: `-2 -2 ${width} ${height}`, width, height, role: 'group', 'aria-label': 'Execution graph' });
  root.append(
    svg('defs', {},
      marker('arrow', '#7a8494'), marker('arrow-taken', '#3b4452'), marker('arrow-catch', '#c2410c')),
  );

  const clusterBox = new Map<string, Box>();
  for (const node of graph.nodes.filter(isContainer)) {
    const c = g.node(clusterOf(node.id)) as Box;
    const box = { x: c.x - c.width / 2, y: c.y - c.height / 2, width: c.width, height: c.height };
    clusterBox.set(node.id, box);
    root.append(
      svg('g', { class: 'cluster' },
        svg('rect', { x: box.x, y: box.y, width: box.width, height: box.height, rx: 12 }),
        svg('text', { x: box.x + 10, y: box.y + box.height - 8, class: 'cluster-label' }, node.kind === 'Map' ? `${node.state}: each item` : `${node.state}: branches`)),
    );
  }

  const reached = (id: string) => (status[id] ?? 'NOT_REACHED') !== 'NOT_REACHED';
  graph.edges.forEach((edge, index) => {
    const leaving = leavesContainer(edge);
    const laid = g.edge({ v: leaving ? lastInner(edge.from) : edge.from, w: edge.to, name: String(index) }) as { points: Point[]; x?: number; y?: number };
    let points = laid.points;
    if (leaving) points = clipToBoxExit(points, clusterBox.get(edge.from)!);
    root.append(drawEdge(edge, points, laid, taken(edge, reached, status)));
  });

  for (const node of graph.nodes) {
    const laid = g.node(node.id) as Box;
    root.append(drawNode(node, laid, status[node.id] ?? 'NOT_REACHED', options));
  }
  return root;
}

function taken(edge: GraphEdge, reached: (id: string) => boolean, status: Record<string, StateRunStatus>): boolean {
  if (!reached(edge.from) || !reached(edge.to)) return false;
  // A Catch edge was taken only when its source's error was caught; a Next edge only when the source succeeded.
  const source = status[edge.from];
  return edge.kind === 'catch' ? source === 'CAUGHT' : source !== 'CAUGHT' && source !== 'FAILED';
}

function marker(id: string, colour: string): SVGMarkerElement {
  return svg('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
    svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: colour }));
}

function drawEdge(edge: GraphEdge, points: readonly Point[], laid: { x?: number; y?: number }, wasTaken: boolean): SVGGElement {
  const catchEdge = edge.kind === 'catch';
  const group = svg('g', { class: `edge edge-${edge.kind}${wasTaken ? ' taken' : ''}`, 'data-from': edge.from, 'data-to': edge.to });
  group.append(svg('path', {
    d: smoothPath(points),
    'marker-end': `url(#${catchEdge ? 'arrow-catch' : wasTaken ? 'arrow-taken' : 'arrow'})`,
  }));
  if (catchEdge && edge.label !== undefined && laid.x !== undefined && laid.y !== undefined) {
    const w = edge.label.length * 6.4 + 12;
    group.append(
      svg('rect', { class: 'edge-label-bg', x: laid.x - w / 2, y: laid.y - 9, width: w, height: 18, rx: 9 }),
      svg('text', { class: 'edge-label', x: laid.x, y: laid.y + 4, 'text-anchor': 'middle' }, edge.label),
    );
  }
  return group;
}

function drawNode(
  node: GraphNode,
  laid: Box,
  status: StateRunStatus,
  options: { selected?: string; failureState?: string; badges: Record<string, string>; onSelect(nodeId: string): void },
): SVGGElement {
  const x = laid.x - laid.width / 2;
  const y = laid.y - laid.height / 2;
  if (node.kind === 'Start' || node.kind === 'End') {
    return svg('g', { class: `node terminal status-${status}`, 'data-node-id': node.id, 'data-status': status },
      svg('rect', { x, y, width: laid.width, height: laid.height, rx: laid.height / 2 }),
      svg('text', { x: laid.x, y: laid.y + 4, 'text-anchor': 'middle' }, node.state));
  }
  const failureOrigin = node.parent === undefined && node.state === options.failureState;
  const classes = ['node', `status-${status}`, `kind-${node.kind}`];
  if (node.id === options.selected) classes.push('selected');
  if (failureOrigin) classes.push('failure-origin');
  const select = () => options.onSelect(node.id);
  const group = svg('g', {
    class: classes.join(' '),
    'data-node-id': node.id,
    'data-state': node.state,
    'data-status': status,
    tabindex: 0,
    role: 'button',
    'aria-label': `${node.state}: ${STATUS_LABEL[status]}`,
    onclick: select,
    onkeydown: (event: Event) => {
      if ((event as KeyboardEvent).key === 'Enter' || (event as KeyboardEvent).key === ' ') select();
    },
  });
  group.append(
    svg('title', {}, `${node.state} (${node.kind}): ${STATUS_LABEL[status]}`),
    svg('rect', { class: 'body', x, y, width: laid.width, height: laid.height, rx: 8 }),
    svg('rect', { class: 'accent', x, y, width: 5, height: laid.height, rx: 2 }),
    svg('text', { class: 'name', x: x + 16, y: y + 21 }, node.state),
    svg('text', { class: 'sub', x: x + 16, y: y + 38 }, options.badges[node.id] ?? `${node.kind} · ${STATUS_LABEL[status].toLowerCase()}`),
  );
  if (failureOrigin) group.append(svg('text', { class: 'failure-mark', x: x + laid.width - 12, y: y + 20, 'text-anchor': 'end' }, '⚠'));
  return group;
}

/** Trims the drawing's viewBox to what was drawn, once the SVG is in the page (getBBox needs layout). */
export function fitGraph(root: SVGSVGElement, margin = 10): void {
  const box = root.getBBox();
  if (box.width === 0) return;
  root.setAttribute('viewBox', `${box.x - margin} ${box.y - margin} ${box.width + 2 * margin} ${box.height + 2 * margin}`);
  root.setAttribute('width', String(box.width + 2 * margin));
  root.setAttribute('height', String(box.height + 2 * margin));
}

/** Points of an edge that starts inside a box, from where it leaves the box. */
function clipToBoxExit(points: readonly Point[], box: Box): Point[] {
  const inside = (p: Point) => p.x >= box.x && p.x <= box.x + box.width && p.y >= box.y && p.y <= box.y + box.height;
  const firstOutside = points.findIndex((p) => !inside(p));
  if (firstOutside <= 0) return [...points];
  const out = points[firstOutside]!;
  return [{ x: out.x, y: box.y + box.height }, ...points.slice(firstOutside)];
}

/** A polyline through the points, its corners rounded with quadratic curves. */
function smoothPath(points: readonly Point[]): string {
  const [first, ...rest] = points;
  if (first === undefined) return '';
  if (rest.length < 2) return `M ${first.x} ${first.y} ${rest.map((p) => `L ${p.x} ${p.y}`).join(' ')}`;
  let d = `M ${first.x} ${first.y}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const corner = rest[i]!;
    const next = rest[i + 1]!;
    d += ` Q ${corner.x} ${corner.y} ${(corner.x + next.x) / 2} ${(corner.y + next.y) / 2}`;
  }
  const last = rest.at(-1)!;
  return `${d} L ${last.x} ${last.y}`;
}
