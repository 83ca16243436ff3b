// Applications: the new-application form (a draft is created only when the user saves or uploads, and told so), a
// draft's editor, and the tracking page of a case. Unsaved input is guarded and kept across an expired session.
import { TextLimits } from '../limits';
import { App, Button, Card, Col, Descriptions, Empty, Input, List, Row, Space, Spin, Table, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api, ApiError, query } from '../api';
import { useAuth } from '../auth';
import { useUnitOptions } from '../directory';
import { PrintableForm, SchemaForm, scrollToFirstError, type UploadedFile } from '../forms/SchemaForm';
import { allFields, applicantPermissions, initialData, platformFields, withoutPlatformFields, type FormSchema } from '../forms/schema';
import dayjs from 'dayjs';
import { useSchema } from '../forms/useSchema';
import { revalidate, serverErrors, validateForm, type FieldErrors } from '../forms/validate';
import type { ApplicationDetail, AttachmentView, ProcessInfo } from '../types';
import { DueBadge, ErrorAlert, pascal, statusTag } from '../ui';
import { useLoad } from '../useLoad';
import { keptInput, useUnsavedChanges } from '../work';
import { AttachmentPreviewProvider } from './AttachmentPreview';
import { Attachments, CaseLabels, CaseProgressView, ClockExplanation, ExchangeProgress, HistoryTimeline, NoAccess } from './CaseParts';

const inputNames: Record<string, string> = { shareType: '共享类型', providerOrgUnitId: '资源提供单位', resourceCode: '信息资源代码' };
const shareTypes: Record<string, string> = { '1': '无条件共享', '2': '有条件共享', '3': '不予共享' };
/** Start inputs that are ids, not for the reader (the catalog entry is named by the form's resource name). */
const hiddenInputs = new Set(['entryId', 'catalogEntryId']);

/** Fills and sends an application's form: a new one (a draft once saved or given a file) or a saved draft. */
function ApplicationEditor({ process, schema, draft, prefill, input }: {
  process: ProcessInfo; schema: FormSchema; draft?: ApplicationDetail; prefill?: Record<string, unknown>; input: Record<string, unknown>;
}) {
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const units = useUnitOptions();
  const [instanceId, setInstanceId] = useState<string | null>(draft?.instanceId ?? null);
  const keptKey = `application:${draft?.instanceId ?? `new:${process.definitionId}:${JSON.stringify(input)}`}`;
  const initial = useMemo(() => draft?.form ?? { ...initialData(schema), ...prefill }, [draft, schema, prefill]);
  const [saved, setSaved] = useState<Record<string, unknown>>(initial);
  const [data, setData] = useState<Record<string, unknown>>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [printing, setPrinting] = useState(false);
  const dirty = JSON.stringify(data) !== JSON.stringify(saved);
  const release = useUnsavedChanges(dirty, '申请表有尚未保存的内容，离开后将丢失。可先点击“保存草稿”。确定离开吗？');

  useEffect(() => {
    const kept = keptInput.read<Record<string, unknown>>(keptKey);
    if (kept && JSON.stringify(kept) !== JSON.stringify(initial)) { setData(kept); message.info({ content: '已恢复您上次未保存的申请表内容。', key: 'kept' }); }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [keptKey]);
  useEffect(() => { if (dirty) keptInput.keep(keptKey, data); else keptInput.forget(keptKey); }, [dirty, data, keptKey]);

  const create = async () => {
    // Created without the form: the form is then saved (or submitted) on its own, so a field error never leaves a
    // started case behind, and a file can be uploaded while the form still has errors.
    const created = await api.post<ApplicationDetail>('/api/applications', { definitionId: process.definitionId, input });
    setInstanceId(created.instanceId);
    return created.instanceId;
  };
  const run = async (work: () => Promise<void>) => {
    setBusy(true); setError(null);
    try { await work(); } catch (e) {
      if (e instanceof ApiError && Object.keys(e.fieldErrors).length > 0) {
        const found = serverErrors(e.fieldErrors); setErrors(found); scrollToFirstError(schema, found);
        message.error({ content: '表单有误，请按提示修改', key: 'form-invalid' });
      } else setError(e);
    } finally { setBusy(false); }
  };
  const unlockPlatformFields = process.definitionId === 'provincial-resource';
  const outgoing = () => unlockPlatformFields ? data : withoutPlatformFields(schema, data);
  const permissions = unlockPlatformFields ? null : applicantPermissions(schema);
  /** The form with the platform's fields as the server gives them (the applicant's own fields untouched). */
  const withPlatform = (fields: Record<string, unknown>) => (d: Record<string, unknown>) => ({
    ...withoutPlatformFields(schema, d), ...Object.fromEntries(platformFields(schema).filter((k) => fields[k] !== undefined).map((k) => [k, fields[k]])),
  });
  /** The form as just saved: what was sent, with the platform's fields as the server settled them. */
  const adoptSaved = (answer: ApplicationDetail) => {
    const next = unlockPlatformFields || !answer.form ? data : withPlatform(answer.form)(data);
    setData(next); setSaved(next);
  };
  // What the platform fills from its records (the resource's provider and share type, the applicant's unit) is shown as
  // the form is filled, before anything is saved: asked again a moment after the applicant's own fields change.
  const applicantPart = JSON.stringify(unlockPlatformFields ? null : withoutPlatformFields(schema, data));
  useEffect(() => {
    if (unlockPlatformFields) return;
    let current = true;
    const timer = window.setTimeout(() => {
      api.post<Record<string, unknown>>('/api/applications/platform-fields', { definitionId: process.definitionId, input, form: JSON.parse(applicantPart) })
        .then((fields) => { if (current) { setData(withPlatform(fields)); setSaved(withPlatform(fields)); } })
        .catch(() => { /* a preview only: the fields are settled when the form is saved */ });
    }, 400);
    return () => { current = false; window.clearTimeout(timer); };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [applicantPart, process.definitionId, unlockPlatformFields]);
  const save = () => run(async () => {
    const first = !instanceId;
    const id = instanceId ?? await create();
    adoptSaved(await api.put<ApplicationDetail>(`/api/applications/${id}/draft`, { form: outgoing() }));
    keptInput.forget(keptKey);
    message.success(first ? '已保存为草稿，可在“我的申请”中继续填写' : '草稿已保存');
    if (first) { release(); navigate(`/applications/${id}`, { replace: true }); }
  });
  const submit = () => run(async () => {
    const found = validateForm(schema, data, permissions);
    setErrors(found);
    if (Object.keys(found).length > 0) { message.error({ content: '表单有误，请按提示修改', key: 'form-invalid' }); scrollToFirstError(schema, found); return; }
    const id = instanceId ?? await create();
    const submitted = await api.post<ApplicationDetail>(`/api/applications/${id}/submit`, { form: outgoing() });
    release(); keptInput.forget(keptKey); setSaved(data);
    message.success(submitted.businessNumber ? `申请已提交，业务编号 ${submitted.businessNumber}` : '申请已提交');
    navigate(`/applications/${id}`);
  });
  const discard = () => modal.confirm({
    title: '删除这份草稿？', content: '草稿及其附件将被删除，不能恢复。', okText: '删除', okButtonProps: { danger: true }, cancelText: '取消',
    onOk: async () => {
      try { await api.del(`/api/applications/${instanceId}`); release(); keptInput.forget(keptKey); message.success('草稿已删除'); navigate('/applications'); }
      catch (e) { setError(e); }
    },
  });
  /** A file needs a case to belong to: the first one makes the draft, after asking. */
  const upload = async (file: File, field: string): Promise<UploadedFile> => {
    let id = instanceId;
    if (!id) {
      const agreed = await new Promise<boolean>((resolve) => modal.confirm({
        title: '先保存为草稿？', content: '上传附件需要先把申请保存为草稿（可在“我的申请”中继续填写或删除）。保存草稿并上传此文件吗？',
        okText: '保存草稿并上传', cancelText: '取消', onOk: () => resolve(true), onCancel: () => resolve(false),
      }));
      if (!agreed) throw new Error('已取消上传');
      id = await create();
      try {
        adoptSaved(await api.put<ApplicationDetail>(`/api/applications/${id}/draft`, { form: outgoing() }));
        message.success('已保存为草稿');
      } catch (e) {
        // The draft exists; what the form still has wrong is shown by its fields, and the file goes up anyway.
        if (e instanceof ApiError) setErrors(serverErrors(e.fieldErrors));
        message.warning('已创建草稿；表单中有需要修改的内容，改好后请点击“保存草稿”。');
      }
    }
    try {
      const a = await api.upload<AttachmentView>(`/api/applications/${id}/attachments${query({ field })}`, file);
      return { id: a.id, name: a.fileName, size: a.size, contentType: a.contentType };
    } catch (e) {
      message.error(`上传失败：${(e as Error).message}`);
      throw e;
    }
  };
  useEffect(() => {
    if (!printing) return;
    const done = () => setPrinting(false);
    window.addEventListener('afterprint', done);
    window.print();
    return () => window.removeEventListener('afterprint', done);
  }, [printing]);

  const shown = Object.entries(input).filter(([k]) => !hiddenInputs.has(k));
  const inputText = (k: string, v: unknown) => k === 'shareType' ? shareTypes[String(v)] ?? '—'
    : k === 'providerOrgUnitId' ? units.data?.find((u) => u.id === v)?.name ?? '—' : String(v);
  return (
    <div>
      <Card size="small" className="no-print form-toolbar" style={{ marginBottom: 12 }} title={<Space wrap><span data-testid="form-title">{schema.title}</span>{instanceId && statusTag('', true)}</Space>}
        extra={<Space wrap>
          {instanceId && <Button danger onClick={discard} data-testid="discard">删除草稿</Button>}
          <Button onClick={save} loading={busy} data-testid="save-draft">保存草稿</Button>
          <Button onClick={() => setPrinting(true)} data-testid="print">打印（盖章用）</Button>
          <Button type="primary" onClick={submit} loading={busy} data-testid="submit">提交申请</Button>
        </Space>}>
        {schema.description && <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>{schema.description}</Typography.Paragraph>}
        {shown.length > 0 && <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          {shown.map(([k, v]) => <Descriptions.Item key={k} label={inputNames[k] ?? '参数'}>{inputText(k, v)}</Descriptions.Item>)}
        </Descriptions>}
        <ErrorAlert error={error} />
      </Card>
      <div className="no-print"><SchemaForm schema={schema} data={data} errors={errors} onUpload={upload} instanceId={instanceId} unlockPlatformFields={unlockPlatformFields}
        onChange={(next) => { setErrors((current) => revalidate(schema, data, next, current, permissions)); setData(next); }} /></div>
      <div className="print-only"><PrintableForm schema={schema} data={data} applicant={String(data.userDepartmentName ?? data.department ?? '')} /></div>
    </div>
  );
}

export function NewApplication() {
  const [params, setParams] = useSearchParams();
  const { me } = useAuth();
  const processes = useLoad(() => api.get<ProcessInfo[]>('/api/applications/processes'), []);
  const definitionId = params.get('definitionId');
  const process = processes.data?.find((p) => p.definitionId === definitionId) ?? null;
  const schema = useSchema(process?.formId);
  const { input, prefill } = useMemo(() => {
    const input: Record<string, unknown> = {};
    const prefill: Record<string, unknown> = {};
    for (const [key, value] of params.entries()) {
      if (key === 'definitionId') continue;
      if (process?.inputKeys.includes(key)) input[key] = key === 'shareType' ? Number(value) : value;
      if (key.startsWith('form.')) prefill[key.substring(5)] = value;
    }
    return { input, prefill };
  }, [params, process]);
  const unitPrefill = useMemo(() => {
    if (!schema.data) return {};
    // What the signed-in user's profile already says, for the fields of this form that ask for it (the unit's own fields
    // are filled by the server from the organisation records).
    const known: Record<string, unknown> = {
      department: me?.unit.name, contactName: me?.displayName, handler: me?.displayName, applicantName: me?.displayName,
      contactPhone: me?.phone ?? undefined, phone: me?.phone ?? undefined, contactEmail: me?.email ?? undefined, email: me?.email ?? undefined,
      jobTitle: me?.title ?? undefined, applicationDate: dayjs().format('YYYY-MM-DD'),
    };
    const keys = new Set(allFields(schema.data).map((f) => f.key));
    const result: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(known)) if (keys.has(key) && value !== undefined && value !== null) result[key] = value;
    return { ...result, ...prefill };
  }, [schema.data, me, prefill]);

  if (processes.error) return <ErrorAlert error={processes.error} />;
  if (!processes.data) return <Spin />;
  if (!process) {
    return (
      <Card size="small" title="发起申请">
        <List grid={{ gutter: 12, xs: 1, md: 2, xl: 3 }} dataSource={processes.data} locale={{ emptyText: '您没有可发起的流程' }}
          renderItem={(p) => <List.Item><Card size="small" hoverable title={p.name} onClick={() => setParams({ definitionId: p.definitionId })}>
            <Typography.Paragraph ellipsis={{ rows: 3 }} type="secondary">{p.description ?? p.formTitle}</Typography.Paragraph></Card></List.Item>} />
      </Card>
    );
  }
  if (schema.error) return <ErrorAlert error={schema.error} />;
  if (!schema.data) return schema.loading ? <Spin /> : <Empty description="此流程没有申请表" />;
  const missing = process.inputKeys.filter((k) => input[k] === undefined);
  if (missing.length > 0) {
    return <Card size="small" title={process.name}><Typography.Paragraph>请先在<Link to="/catalog">资源目录</Link>中选择要申请的资源，再点击“订阅”或“申请接口”。</Typography.Paragraph></Card>;
  }
  return <AttachmentPreviewProvider><ApplicationEditor key={process.definitionId} process={process} schema={schema.data} input={input} prefill={unitPrefill} /></AttachmentPreviewProvider>;
}

export function ApplicationPage() {
  const { id } = useParams();
  const { message, modal } = App.useApp();
  const detail = useLoad(() => api.get<ApplicationDetail>(`/api/applications/${id}`), [id]);
  const processes = useLoad(() => api.get<ProcessInfo[]>('/api/applications/processes'), []);
  const schema = useSchema(detail.data?.formId);
  const [actionError, setActionError] = useState<unknown>(null);
  if (detail.loading && !detail.data) return <Spin />;
  if (detail.error instanceof ApiError && (detail.error.status === 404 || detail.error.status === 403)) return <NoAccess error={detail.error} />;
  if (!detail.data) return <ErrorAlert error={detail.error} />;
  const a = detail.data;
  const can = (action: string) => a.availableActions?.includes(action) ?? false;
  if (a.isDraft && can('submit')) {
    if (!schema.data) return schema.error ? <ErrorAlert error={schema.error} /> : <Spin />;
    const process = processes.data?.find((p) => p.definitionId === a.definitionId) ??
      { definitionId: a.definitionId, name: a.processName ?? '未命名流程', description: null, version: a.definitionVersion, formId: a.formId, formTitle: null, applicantStep: null, inputKeys: [] };
    return <AttachmentPreviewProvider><ApplicationEditor key={a.instanceId} process={process} schema={schema.data} draft={a} input={a.input ?? {}} /></AttachmentPreviewProvider>;
  }
  const act = async (path: string, body: unknown, done: string) => {
    setActionError(null);
    try { await api.post(`/api/applications/${a.instanceId}/${path}`, body); message.success(done); await detail.reload(); } catch (e) { setActionError(e); }
  };
  let reason = '';
  const holders = (s: ApplicationDetail['currentSteps'][number]) => s.assigneeName
    ?? (s.candidates ?? []).map((c) => typeof c === 'string' ? c : c.displayName).filter(Boolean).join('、') ?? '—';
  return (
    <AttachmentPreviewProvider>
      <Card size="small" className="no-print" style={{ marginBottom: 12 }}
        title={<Space wrap><span data-testid="application-title">{a.processName}</span><span data-testid="application-status">{statusTag(a.status, a.isDraft)}</span></Space>}
        extra={<Space wrap>
          {can('urge') && <Button onClick={() => act('urge', {}, '已催办，办理人会收到提醒')} data-testid="urge">催办</Button>}
          {can('withdraw') && <Button danger onClick={() => modal.confirm({ title: '撤回申请？', content: <Input.TextArea placeholder="撤回原因（可选）" maxLength={TextLimits.comment} showCount onChange={(e) => { reason = e.target.value; }} />,
            okText: '撤回', cancelText: '取消', onOk: () => act('withdraw', { reason: reason || undefined }, '申请已撤回') })}>撤回</Button>}
          <Button onClick={() => window.print()}>打印</Button>
        </Space>}>
        <ErrorAlert error={actionError} />
        <CaseLabels application={a} finishedAt />
      </Card>
      <CaseProgressView application={a} />
      <Row gutter={12}>
        <Col xs={24} xl={16}>
          <Card size="small" title="当前办理" style={{ marginBottom: 12 }} data-testid="current-steps">
            <Table size="small" rowKey="taskId" pagination={false} dataSource={a.currentSteps} scroll={{ x: 'max-content' }}
              locale={{ emptyText: pascal(a.status) === 'Finished' ? '已办结' : '暂无进行中的环节' }}
              columns={[
                { title: '环节', dataIndex: 'title' },
                { title: '办理单位', render: (_, s) => s.orgUnitName ?? '—' },
                { title: '办理人', render: (_, s) => holders(s) || '—' },
                { title: '办理时限', render: (_, s) => <DueBadge dueAt={s.dueAt} level={s.level} clock={s.deadline} /> },
              ]} />
            {a.currentSteps.map((s) => s.deadline && <Typography.Paragraph key={s.taskId} type="secondary" style={{ fontSize: 12, margin: '6px 0 0' }}>{s.title}：{s.deadline.explanation}</Typography.Paragraph>)}
          </Card>
          <ClockExplanation clock={a.caseClock} title="全程时限" />
          <ExchangeProgress steps={a.exchange} />
          {schema.data && <>
            <div className="no-print"><SchemaForm schema={schema.data} data={a.form ?? {}} readOnly instanceId={a.instanceId} /></div>
            <div className="print-only"><PrintableForm schema={schema.data} data={a.form ?? {}} applicant={a.applicant?.orgUnitName ?? undefined} /></div>
          </>}
        </Col>
        <Col xs={24} xl={8} className="no-print">
          <HistoryTimeline application={a} />
          <div style={{ height: 12 }} />
          <Attachments application={a} />
        </Col>
      </Row>
    </AttachmentPreviewProvider>
  );
}
