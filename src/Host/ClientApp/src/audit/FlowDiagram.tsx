// The diagram of a pinned definition version, read-only: the path taken in green, the current position in orange.
import { useMemo } from 'react';
import { Background, Controls, MarkerType, MiniMap, ReactFlow, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { DefinitionJson } from './types';

export type NodeState = 'current' | 'done' | 'idle';

const nodeColors: Record<NodeState, { border: string; background: string }> = {
  current: { border: '#fa8c16', background: '#fff7e6' },
  done: { border: '#52c41a', background: '#f6ffed' },
  idle: { border: '#d9d9d9', background: '#fff' },
};

export const stateNames: Record<NodeState, string> = { current: '当前位置', done: '已经过', idle: '未经过' };

/** `taken` holds the snapshots' connections, written `source:port→target`. */
export function FlowDiagram({ definition, position, completed, taken, height = 460 }:
  { definition: DefinitionJson; position: string[]; completed: string[]; taken: string[]; height?: number }) {
  const { nodes, edges } = useMemo(() => {
    const activities = definition.root?.activities ?? [];
    const current = new Set(position);
    const done = new Set(completed);
    const takenSet = new Set(taken);
    const nodes: Node[] = activities.map((a, i) => {
      const state: NodeState = current.has(a.id) ? 'current' : done.has(a.id) ? 'done' : 'idle';
      const colors = nodeColors[state];
      return {
        id: a.id,
        position: a.metadata?.designer?.position ?? { x: (i % 4) * 220, y: Math.floor(i / 4) * 120 },
        data: { label: <div data-testid={`node-${a.id}`} data-state={state} title={`${a.type} · ${stateNames[state]}`}>
          <div style={{ fontWeight: 600 }}>{a.name || a.id}</div>
          <div style={{ fontSize: 10, color: '#8c8c8c' }}>{a.type}</div>
        </div> },
        style: { border: `${state === 'current' ? 3 : 1.5}px solid ${colors.border}`, background: colors.background, width: 170, fontSize: 12 },
      };
    });
    const edges: Edge[] = (definition.root?.connections ?? []).map((c) => {
      const key = `${c.source.activity}:${c.source.port}→${c.target.activity}`;
      const isTaken = takenSet.has(key);
      return {
        id: key, source: c.source.activity, target: c.target.activity, label: c.source.port === 'Done' ? undefined : c.source.port,
        animated: isTaken, markerEnd: { type: MarkerType.ArrowClosed, color: isTaken ? '#52c41a' : '#bfbfbf' },
        style: { stroke: isTaken ? '#52c41a' : '#bfbfbf', strokeWidth: isTaken ? 2.5 : 1 }, data: { taken: isTaken },
      };
    });
    return { nodes, edges };
  }, [definition, position, completed, taken]);

  return (
    <div style={{ height, border: '1px solid #f0f0f0', background: '#fafafa' }} data-testid="flow-diagram">
      <ReactFlow nodes={nodes} edges={edges} fitView nodesDraggable={false} nodesConnectable={false} elementsSelectable={false}
        proOptions={{ hideAttribution: true }} minZoom={0.2}>
        <Background />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable />
      </ReactFlow>
    </div>
  );
}
