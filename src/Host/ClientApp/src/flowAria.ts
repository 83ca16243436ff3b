// React Flow (@xyflow/react 12) speaks English to assistive technology: its controls, minimap and keyboard help, an edge
// named "Edge from start to report" (step ids) and the role descriptions "node" and "edge". The designer and the
// auditor's diagram give it these Chinese words and name nodes and edges by the steps' names (issue #18).
import type { AriaLabelConfig, Edge, Node } from '@xyflow/react';

const directions: Record<string, string> = { up: '上', down: '下', left: '左', right: '右' };

export const flowAriaLabels: Partial<AriaLabelConfig> = {
  'node.a11yDescription.default': '按回车键或空格键选中环节，按 Delete 键删除，按 Esc 键取消。',
  'node.a11yDescription.keyboardDisabled': '按回车键或空格键选中环节，再用方向键移动；按 Delete 键删除，按 Esc 键取消。',
  'node.a11yDescription.ariaLiveMessage': ({ direction, x, y }) => `已将选中的环节向${directions[direction] ?? direction}移动，新位置：${x}，${y}`,
  'edge.a11yDescription.default': '按回车键或空格键选中连线，按 Delete 键删除，按 Esc 键取消。',
  'controls.ariaLabel': '画布控制',
  'controls.zoomIn.ariaLabel': '放大',
  'controls.zoomOut.ariaLabel': '缩小',
  'controls.fitView.ariaLabel': '全图',
  'controls.interactive.ariaLabel': '锁定或解锁画布',
  'minimap.ariaLabel': '缩略图',
  'handle.ariaLabel': '连接点',
};

/** Nodes named by their steps' names, described as 环节. */
export const namedNodes = <N extends Node>(nodes: N[], name: (id: string) => string): N[] =>
  nodes.map((n) => ({ ...n, ariaLabel: name(n.id), domAttributes: { ...n.domAttributes, 'aria-roledescription': '环节' } }));

/** Edges named by the steps they join (and the outlet's name), described as 连线. */
export const namedEdges = <E extends Edge>(edges: E[], name: (id: string) => string, port?: (id: string, port: string) => string): E[] =>
  edges.map((e) => ({
    ...e,
    ariaLabel: `${name(e.source)}${port && e.sourceHandle ? `“${port(e.source, e.sourceHandle)}”` : ''} → ${name(e.target)}`,
    domAttributes: { ...e.domAttributes, 'aria-roledescription': '连线' },
  }));
