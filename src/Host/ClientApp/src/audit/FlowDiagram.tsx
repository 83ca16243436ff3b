// The diagram of a pinned definition version, read-only: the path taken in green, the current position in orange. It opens
// readable (issue #18): centred on the current step at a legible zoom (the whole chart when the case has ended), ports in
// Chinese, the minimap coloured by state; 全图 in the controls fits the whole chart.
import { useMemo } from 'react';
import { Background, Controls, MarkerType, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow, type Edge, type Node } from '@xyflow/react';
import { flowAriaLabels, namedEdges, namedNodes } from '../flowAria';
import '@xyflow/react/dist/style.css';
import type { DefinitionJson } from './types';

export type NodeState = 'current' | 'done' | 'idle';

const nodeColors: Record<NodeState, { border: string; background: string }> = {
  current: { border: '#fa8c16', background: '#fff7e6' },
  done: { border: '#52c41a', background: '#f6ffed' },
  idle: { border: '#bfbfbf', background: '#fff' },
};

export const stateNames: Record<NodeState, string> = { current: '当前位置', done: '已经过', idle: '未经过' };

/** What the diagram needs of the activity descriptors: the type's name and the outcomes' names. */
export interface DescriptorNames { displayName: string; outcomeNames?: Record<string, string> }

interface Props {
  definition: DefinitionJson; position: string[]; completed: string[]; taken: string[];
  descriptors?: Map<string, DescriptorNames>; height?: number;
}

/** `taken` holds the snapshots' connections, written `source:port→target`. */
export function FlowDiagram(props: Props) {
  return <ReactFlowProvider><Diagram {...props} /></ReactFlowProvider>;
}

function Diagram({ definition, position, completed, taken, descriptors, height = 560 }: Props) {
  const flow = useReactFlow();
  const { nodes, edges } = useMemo(() => {
    const activities = definition.root?.activities ?? [];
    const current = new Set(position);
    const done = new Set(completed);
    const takenSet = new Set(taken);
    const nodes: Node[] = activities.map((a, i) => {
      const state: NodeState = current.has(a.id) ? 'current' : done.has(a.id) ? 'done' : 'idle';
      const colors = nodeColors[state];
      const kind = descriptors?.get(a.type)?.displayName;
      return {
        id: a.id,
        position: a.metadata?.designer?.position ?? { x: (i % 4) * 220, y: Math.floor(i / 4) * 120 },
        data: { state, label: <div data-testid={`node-${a.id}`} data-state={state} title={`${kind ?? ''} · ${stateNames[state]}`}>
          <div style={{ fontWeight: 600, fontSize: 14 }}>{a.name || kind || a.id}</div>
          <div style={{ fontSize: 11, color: state === 'idle' ? '#8c8c8c' : colors.border }}>{stateNames[state]}</div>
        </div> },
        // Fixed dimensions: a read-only chart applies no node changes, so React Flow's measurements never reach these nodes,
        // and the minimap draws only nodes with dimensions (it was blank, issue #18).
        width: 180, height: 64,
        style: { border: `${state === 'current' ? 3 : 1.5}px solid ${colors.border}`, background: colors.background },
      };
    });
    const types = new Map(activities.map((a) => [a.id, a]));
    const edges: Edge[] = (definition.root?.connections ?? []).map((c) => {
      const key = `${c.source.activity}:${c.source.port}→${c.target.activity}`;
      const isTaken = takenSet.has(key);
      const source = types.get(c.source.activity);
      const cases = (source as { cases?: { expression?: { value?: { label: string; displayName?: string }[] } } } | undefined)?.cases?.expression?.value;
      const label = c.source.port === 'Done' ? undefined
        : (Array.isArray(cases) ? cases.find((x) => x.label === c.source.port)?.displayName : undefined)
          ?? descriptors?.get(source?.type ?? '')?.outcomeNames?.[c.source.port] ?? c.source.port;
      return {
        id: key, source: c.source.activity, target: c.target.activity, label, labelStyle: { fontSize: 12 },
        animated: isTaken, markerEnd: { type: MarkerType.ArrowClosed, color: isTaken ? '#52c41a' : '#bfbfbf' },
        style: { stroke: isTaken ? '#52c41a' : '#bfbfbf', strokeWidth: isTaken ? 2.5 : 1 }, data: { taken: isTaken },
      };
    });
    const name = (id: string) => { const a = types.get(id); return a?.name || descriptors?.get(a?.type ?? '')?.displayName || id; };
    return { nodes: namedNodes(nodes, name), edges: namedEdges(edges, name) };
  }, [definition, position, completed, taken, descriptors]);

  // At a legible zoom on where the case stands: its current steps, else the end it reached; the minimap and 全图 show the rest.
  const onInit = () => {
    const ended = (definition.root?.activities ?? []).filter((a) => a.type === 'End' && completed.includes(a.id)).map((a) => a.id);
    const focus = position.length > 0 ? position : ended;
    if (focus.length > 0) void flow.fitView({ nodes: focus.map((id) => ({ id })), maxZoom: 0.9, minZoom: 0.9, padding: 0.3 });
    else void flow.fitView({ padding: 0.05 });
  };

  return (
    <div style={{ height, border: '1px solid #f0f0f0', background: '#fafafa' }} data-testid="flow-diagram">
      <ReactFlow nodes={nodes} edges={edges} onInit={onInit} ariaLabelConfig={flowAriaLabels} nodesDraggable={false} nodesConnectable={false} elementsSelectable={false}
        proOptions={{ hideAttribution: true }} minZoom={0.2}>
        <Background />
        <Controls showInteractive={false} fitViewOptions={{ padding: 0.05 }} />
        <MiniMap pannable zoomable nodeStrokeWidth={3} maskColor="rgba(240, 242, 245, 0.6)"
          nodeColor={(n) => nodeColors[(n.data as { state: NodeState }).state].border} nodeClassName={(n) => `minimap-${(n.data as { state: NodeState }).state}`} />
      </ReactFlow>
    </div>
  );
}
