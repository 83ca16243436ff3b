// Attachments open in the page (issue #18): a PDF in the browser's viewer, an image as itself, fetched with the session
// and shown from a blob whose type the file's extension decides (not the type the uploader's browser claimed); any
// other file is downloaded.
import { App, Button, Modal, Space, Spin, Typography } from 'antd';
import { DownloadOutlined, EyeOutlined, PaperClipOutlined } from '@ant-design/icons';
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { ApiError, fetchBlob } from '../api';

const previewTypes: Record<string, string> = {
  pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', bmp: 'image/bmp',
};
const extension = (name: string) => name.split('.').pop()?.toLowerCase() ?? '';
export const canPreview = (name: string) => extension(name) in previewTypes;
export const attachmentUrl = (instanceId: string, id: string) => `/api/applications/${instanceId}/attachments/${id}`;

interface Shown { name: string; url: string; type: string; }
const PreviewContext = createContext<(instanceId: string, id: string, name: string) => void>(() => undefined);

/** Wraps a page: its file links open the preview dialog through `useAttachmentPreview`. */
export function AttachmentPreviewProvider({ children }: { children: ReactNode }) {
  const { message } = App.useApp();
  const [shown, setShown] = useState<Shown | null>(null);
  const [loading, setLoading] = useState<string | null>(null);
  const [source, setSource] = useState<string | null>(null);
  const open = useCallback(async (instanceId: string, id: string, name: string) => {
    const url = attachmentUrl(instanceId, id);
    if (!canPreview(name)) { window.open(url, '_blank', 'noopener'); return; }
    setLoading(name);
    try {
      const blob = await fetchBlob(url);
      const typed = new Blob([blob], { type: previewTypes[extension(name)] });
      setShown({ name, url: URL.createObjectURL(typed), type: typed.type });
      setSource(url);
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '附件打开失败，请重试。');
    } finally { setLoading(null); }
  }, [message]);
  useEffect(() => () => { if (shown) URL.revokeObjectURL(shown.url); }, [shown]);
  return (
    <PreviewContext.Provider value={open}>
      {children}
      {loading && <Spin fullscreen tip={`正在打开 ${loading}…`} />}
      <Modal open={!!shown} title={shown?.name} onCancel={() => setShown(null)} width="min(960px, 96vw)" footer={
        <Space><a href={source ?? undefined} download={shown?.name}><Button icon={<DownloadOutlined />}>下载</Button></a><Button type="primary" onClick={() => setShown(null)}>关闭</Button></Space>}
        className="attachment-preview" destroyOnHidden>
        {shown && (shown.type === 'application/pdf'
          ? <iframe title={shown.name} src={shown.url} style={{ width: '100%', height: '70vh', border: 0 }} data-testid="preview-pdf" />
          : <div style={{ textAlign: 'center' }}><img src={shown.url} alt={shown.name} style={{ maxWidth: '100%', maxHeight: '70vh' }} data-testid="preview-image" /></div>)}
      </Modal>
    </PreviewContext.Provider>
  );
}

export const useAttachmentPreview = () => useContext(PreviewContext);

/** A file's name as a link: preview for PDFs and images, download otherwise. */
export function FileLink({ instanceId, id, name, testId }: { instanceId: string | null | undefined; id: string; name: string; testId?: string }) {
  const preview = useAttachmentPreview();
  if (!instanceId) return <Typography.Text data-testid={testId}><PaperClipOutlined /> {name}</Typography.Text>;
  return (
    <a href={attachmentUrl(instanceId, id)} data-testid={testId} onClick={(e) => { e.preventDefault(); preview(instanceId, id, name); }}>
      {canPreview(name) ? <EyeOutlined /> : <PaperClipOutlined />} {name}
    </a>
  );
}
