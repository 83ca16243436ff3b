// The opinion comes first on the task page (issue #18), with the user's common phrases (常用语, kept on the server with
// defaults) one click away, and a dialog to edit them.
import { App, Button, Input, Modal, Space, Tag, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { api, ApiError } from '../api';
import { TextLimits } from '../limits';
import { useLoad } from '../useLoad';

interface Phrases { phrases: string[]; defaults: string[]; }

export function OpinionBox({ value, onChange, placeholder }: { value: string; onChange: (text: string) => void; placeholder: string }) {
  const { message } = App.useApp();
  const phrases = useLoad(() => api.get<Phrases>('/api/me/phrases'), []);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const use = (phrase: string) => onChange(value.trim() === '' ? phrase : `${value.trimEnd()}${/[。！？；，]$/.test(value.trimEnd()) ? '' : '。'}${phrase}`);
  const save = async () => {
    try {
      const saved = await api.put<Phrases>('/api/me/phrases', { phrases: (editing ?? '').split('\n') });
      phrases.setData(saved); setEditing(null); setError(null); message.success('常用语已保存');
    } catch (e) { setError(e instanceof ApiError ? e.message : '保存失败，请重试。'); }
  };
  return (
    <div className="opinion-box" data-testid="opinion-box">
      <Input.TextArea id="approve-comment" value={value} onChange={(e) => onChange(e.target.value)} placeholder={placeholder}
        autoSize={{ minRows: 2, maxRows: 6 }} maxLength={TextLimits.comment} />
      <Space size={[4, 4]} wrap style={{ marginTop: 6 }} data-testid="phrases">
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>常用语：</Typography.Text>
        {(phrases.data?.phrases ?? []).map((p) => <Tag key={p} className="phrase" style={{ cursor: 'pointer' }} onClick={() => use(p)} data-testid="phrase">{p}</Tag>)}
        <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setEditing((phrases.data?.phrases ?? []).join('\n'))}>管理常用语</Button>
      </Space>
      <Modal open={editing !== null} title="管理常用语" onCancel={() => { setEditing(null); setError(null); }} onOk={save} okText="保存" cancelText="取消" destroyOnHidden>
        <Typography.Paragraph type="secondary">每行一条，最多 30 条；清空后恢复默认常用语。</Typography.Paragraph>
        <Input.TextArea id="phrases-editor" value={editing ?? ''} onChange={(e) => setEditing(e.target.value)} autoSize={{ minRows: 6, maxRows: 14 }} />
        {error && <Typography.Text type="danger">{error}</Typography.Text>}
        <div style={{ marginTop: 8 }}><Button size="small" onClick={() => setEditing((phrases.data?.defaults ?? []).join('\n'))}>恢复默认</Button></div>
      </Modal>
    </div>
  );
}
