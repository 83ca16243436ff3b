// The definition JSON (DefinitionSerializer) <-> React Flow nodes and edges, the descriptor types, auto layout.
import dagre from '@dagrejs/dagre';
import type { Edge, Node } from '@xyflow/react';

export interface InputDescriptor {
  name: string; displayName: string; description: string | null; kind: string; uiHint: string; required: boolean;
  defaultValue: unknown; supportsExpression: boolean; options: string[] | null;
}
export interface ActivityDescriptor {
  type: string; category: string; displayName: string; description: string | null;
  inputs: InputDescriptor[]; outcomes: string[]; hasDynamicOutcomes: boolean; outcomeNames?: Record<string, string>;
}
export interface ValidationError { code: string; message: string; activityId: string | null; input: string | null; }
export interface VersionInfo {
  definitionId: string; version: number; name?: string; isPublished?: boolean; isLatest?: boolean; createdAt?: string; publishedAt?: string | null;
  state?: 'draft' | 'published' | 'retracted' | 'superseded'; supersededBy?: number | null; releaseNote?: string | null;
  /** Who created and who published the version, by name (the server looks the sign-in names up). */
  createdByName?: string | null; publishedByName?: string | null; [key: string]: unknown;
}

export interface Expression { type: string; value: unknown; }
export interface InputValue { typeName?: string; expression: Expression; }
export interface ActivityJson { id: string; type: string; name?: string; metadata?: Record<string, unknown>; [input: string]: unknown; }
export interface ConnectionJson { source: { activity: string; port: string }; target: { activity: string; port: string }; }
export interface DefinitionJson {
  definitionId: string; name: string; description?: string; version: number; variables?: unknown[]; caseSla?: unknown;
  root: { type: string; id: string; activities: ActivityJson[]; connections: ConnectionJson[] };
  [key: string]: unknown;
}

export interface StepData extends Record<string, unknown> { activity: ActivityJson; mark?: unknown; }
export type StepNode = Node<StepData, 'step'>;

const positionOf = (a: ActivityJson) => ((a.metadata?.designer as { position?: { x: number; y: number } } | undefined)?.position);

export function toGraph(definition: DefinitionJson): { nodes: StepNode[]; edges: Edge[] } {
  const { activities, connections } = definition.root;
  const nodes: StepNode[] = activities.map((activity) => ({ id: activity.id, type: 'step', position: positionOf(activity) ?? { x: 0, y: 0 }, data: { activity } }));
  const edges: Edge[] = connections.map((c) => edgeOf(c.source.activity, c.source.port, c.target.activity));
  // Imported definitions often carry no positions: lay out the whole chart then.
  return activities.some((a) => !positionOf(a)) ? { nodes: layout(nodes, edges), edges } : { nodes, edges };
}

export const edgeOf = (source: string, port: string, target: string): Edge =>
  ({ id: `${source}:${port}->${target}`, source, sourceHandle: port, target, targetHandle: 'In' });

export function fromGraph(base: DefinitionJson, nodes: StepNode[], edges: Edge[]): DefinitionJson {
  return {
    ...base,
    root: {
      ...base.root,
      activities: nodes.map((n) => ({ ...n.data.activity, metadata: { ...(n.data.activity.metadata ?? {}), designer: { position: { x: Math.round(n.position.x), y: Math.round(n.position.y) } } } })),
      connections: edges.map((e) => ({ source: { activity: e.source, port: e.sourceHandle ?? 'Done' }, target: { activity: e.target, port: 'In' } })),
    },
  };
}

export function layout(nodes: StepNode[], edges: Edge[]): StepNode[] {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 50, ranksep: 70 });
  g.setDefaultEdgeLabel(() => ({}));
  nodes.forEach((n) => g.setNode(n.id, { width: 200, height: 70 }));
  edges.forEach((e) => g.setEdge(e.source, e.target));
  dagre.layout(g);
  return nodes.map((n) => { const p = g.node(n.id); return { ...n, position: { x: p.x - 100, y: p.y - 35 } }; });
}

/** The outcome ports of a node: declared outcomes, plus the case labels of a Switch (dynamic outcomes). */
/** A port as users read it: a Switch case's display name, else the outcome's Chinese name from the descriptor. */
export function outcomeLabel(activity: ActivityJson, descriptor: ActivityDescriptor | undefined, outcome: string): string {
  const cases = (activity.cases as InputValue | undefined)?.expression?.value;
  const named = Array.isArray(cases) ? (cases as { label?: string; displayName?: string }[]).find((c) => c.label === outcome)?.displayName : undefined;
  return named || descriptor?.outcomeNames?.[outcome] || outcome;
}

/** A step as users read it: its name, else its type's name. */
export const stepLabel = (activity: ActivityJson | undefined, descriptor?: ActivityDescriptor) => activity?.name || descriptor?.displayName || activity?.id || '';

export function outcomesOf(activity: ActivityJson, descriptor: ActivityDescriptor | undefined): string[] {
  const declared = descriptor?.outcomes ?? ['Done'];
  if (!descriptor?.hasDynamicOutcomes) return declared;
  const cases = (activity.cases as InputValue | undefined)?.expression?.value;
  const labels = Array.isArray(cases) ? cases.map((c) => (c as { label?: string }).label).filter((l): l is string => !!l) : [];
  return [...labels, ...declared.filter((o) => !labels.includes(o))];
}

export const inputOf = (activity: ActivityJson, name: string) => activity[name] as InputValue | undefined;

/** Client-side parse check of a JavaScript expression (the server evaluates ES5-level JavaScript with Jint). */
export function checkExpression(code: string): string | null {
  if (!code.trim()) return null;
  try {
    // eslint-disable-next-line no-new-func
    new Function('variables', 'input', 'workflow', `return (${code}\n);`);
    return null;
  } catch {
    try { new Function('variables', 'input', 'workflow', code); return null; } catch (e) { return `表达式语法错误：${(e as Error).message}`; }
  }
}

let counter = 0;
export function newId(type: string, taken: Set<string>): string {
  const stem = type.split('.').pop()!.replace(/^./, (c) => c.toLowerCase());
  let id = `${stem}${++counter}`;
  while (taken.has(id)) id = `${stem}${++counter}`;
  return id;
}
