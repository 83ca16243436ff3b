// The designer's versions drawer (open, restore, compare; each version's state and release note) and the diff summary.
import { Alert, Button, List, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { fmt } from '../ui';
import type { VersionInfo } from './model';

export interface DiffChange { name: string; change: string; from: unknown; to: unknown; }
export interface DefinitionDiff {
  nodesAdded: { id: string; type: string; name: string | null }[]; nodesRemoved: { id: string; type: string; name: string | null }[];
  nodesChanged: { id: string; typeChange: unknown; nameChange: unknown; inputs: DiffChange[]; settings: DiffChange[]; moved: boolean }[];
  connectionsAdded: { source: string; port: string; target: string }[]; connectionsRemoved: { source: string; port: string; target: string }[];
  variables: DiffChange[]; settings: DiffChange[];
}

/** A version's state: v1 replaced by v2's publication is 已被 v2 取代, not 已撤销 (issue #18). */
export function VersionState({ v }: { v: VersionInfo }) {
  const state = v.state ?? (v.isPublished ? 'published' : 'draft');
  if (state === 'published') return <Tag color="green" data-state="published">已发布</Tag>;
  if (state === 'superseded') return <Tag color="default" data-state="superseded">已被 v{v.supersededBy} 取代</Tag>;
  if (state === 'retracted') return <Tag color="orange" data-state="retracted">已撤销发布</Tag>;
  return <Tag data-state="draft">草稿</Tag>;
}

export function VersionList({ versions, onOpen, onRevert, onDiff }: {
  versions: VersionInfo[]; onOpen: (v: number) => void; onRevert: (v: number) => void; onDiff: (from: number, to: number) => void;
}) {
  const [from, setFrom] = useState<number>();
  const [to, setTo] = useState<number>();
  const options = versions.map((v) => ({ value: v.version, label: `v${v.version}` }));
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <span>比较</span><Select style={{ width: 90 }} options={options} id="diff-from" value={from} onChange={setFrom} />
        <span>→</span><Select style={{ width: 90 }} options={options} id="diff-to" value={to} onChange={setTo} />
        <Button disabled={!from || !to || from === to} onClick={() => onDiff(from!, to!)} data-testid="show-diff">查看差异</Button>
      </Space>
      <List dataSource={[...versions].reverse()} data-testid="version-list" renderItem={(v) => (
        <List.Item data-testid={`version-${v.version}`} actions={[<a key="o" onClick={() => onOpen(v.version)}>打开</a>, <a key="r" onClick={() => onRevert(v.version)}>恢复</a>]}>
          <List.Item.Meta title={<Space>v{v.version}<VersionState v={v} />{v.isLatest && <Tag color="blue">最新</Tag>}</Space>}
            description={<div>
              <div data-testid="version-people">{fmt(v.createdAt)} {v.createdByName ?? ''} 保存{v.publishedAt ? ` · ${fmt(v.publishedAt)} ${v.publishedByName ?? ''} 发布` : ''}</div>
              {v.releaseNote && <Typography.Text data-testid="release-note">发布说明：{v.releaseNote}</Typography.Text>}
            </div>} />
        </List.Item>
      )} />
    </>
  );
}

const changeNames: Record<string, string> = { added: '新增', removed: '删除', changed: '修改' };
/** A step's and the process's own settings by their Chinese names; an unknown key stays as the JSON names it. */
const settingNames: Record<string, string> = {
  name: '名称', description: '说明', caseSla: '办件时限', sla: '办理时限', fieldPermissions: '字段权限', formId: '表单', version: '版本',
  metadata: '设计器信息',
};
const settingName = (key: string) => settingNames[key] ?? key;
const show = (v: unknown) => (v === undefined || v === null ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/** The diff of two versions in words: steps by name and ports in Chinese (`name` and `port` look them up in both versions). */
export function DiffList({ diff, name, port, input, onClose }: {
  diff: DefinitionDiff; name: (id: string) => string; port: (id: string, port: string) => string; input: (id: string, input: string) => string;
  onClose: () => void;
}) {
  const rows: string[] = [
    ...diff.nodesAdded.map((n) => `新增环节【${n.name ?? name(n.id)}】`),
    ...diff.nodesRemoved.map((n) => `删除环节【${n.name ?? name(n.id)}】`),
    ...diff.nodesChanged.flatMap((n) => [
      ...(n.nameChange ? [`环节【${name(n.id)}】名称修改`] : []),
      ...n.inputs.map((c) => `环节【${name(n.id)}】的“${input(n.id, c.name)}”${changeNames[c.change] ?? c.change}：${show(c.from)} → ${show(c.to)}`),
      ...n.settings.map((c) => `环节【${name(n.id)}】的“${settingName(c.name)}”${changeNames[c.change] ?? c.change}：${show(c.from)} → ${show(c.to)}`),
      ...(n.moved ? [`环节【${name(n.id)}】位置移动`] : []),
    ]),
    ...diff.connectionsAdded.map((c) => `新增连线【${name(c.source)}】“${port(c.source, c.port)}” →【${name(c.target)}】`),
    ...diff.connectionsRemoved.map((c) => `删除连线【${name(c.source)}】“${port(c.source, c.port)}” →【${name(c.target)}】`),
    ...diff.variables.map((c) => `变量 ${c.name} ${changeNames[c.change] ?? c.change}`),
    ...diff.settings.map((c) => `流程的“${settingName(c.name)}”${changeNames[c.change] ?? c.change}：${show(c.from)} → ${show(c.to)}`),
  ];
  return <Alert type="info" closable onClose={onClose} style={{ marginBottom: 8 }} data-testid="diff-list"
    message={`版本差异（${rows.length} 处；画布上绿色为新增、橙色为修改、灰色为删除）`}
    description={rows.length ? <ul style={{ margin: 0, maxHeight: 120, overflow: 'auto' }}>{rows.map((r, i) => <li key={i}>{r}</li>)}</ul> : '两个版本相同'} />;
}
