import { TextLimits } from '../limits';
import { App, Button, Card, Col, Descriptions, Empty, Input, List, Row, Space, Spin, Table, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api, ApiError, query } from '../api';
import { useAuth } from '../auth';
import { PrintableForm, SchemaForm, type UploadedFile } from '../forms/SchemaForm';
import { allFields, initialData, platformFields, withoutPlatformFields, type FormSchema } from '../forms/schema';
import dayjs from 'dayjs';
import { useSchema } from '../forms/useSchema';
import { serverErrors, validateForm, type FieldErrors } from '../forms/validate';
import type { ApplicationDetail, AttachmentView, ProcessInfo } from '../types';
import { DueBadge, ErrorAlert, fmt, pascal, statusTag } from '../ui';
import { useLoad } from '../useLoad';
import { Attachments, ClockExplanation, ExchangeProgress, HistoryTimeline, NoAccess } from './CaseParts';

const inputNames: Record<string, string> = { shareType: '共享类型', providerOrgUnitId: '资源提供单位', entryId: '目录条目', resourceCode: '信息资源代码' };
const shareTypes: Record<string, string> = { '1': '无条件共享', '2': '有条件共享', '3': '不予共享' };

/** Fills and sends an application's form: a new one (created as a draft on first save) or a saved draft. */
function ApplicationEditor({ process, schema, draft, prefill, input }: {
  process: ProcessInfo; schema: FormSchema; draft?: ApplicationDetail; prefill?: Record<string, unknown>; input: Record<string, unknown>;
}) {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [data, setData] = useState<Record<string, unknown>>(() => draft?.form ?? { ...initialData(schema), ...prefill });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [instanceId, setInstanceId] = useState<string | null>(draft?.instanceId ?? null);
  const [printing, setPrinting] = useState(false);

  const ensureDraft = async () => {
    if (instanceId) return instanceId;
    // Created without the form: the form is then saved (or submitted) on its own, so a field error never leaves a
    // started case behind, and a file can be uploaded while the form still has errors.
    const created = await api.post<ApplicationDetail>('/api/applications', { definitionId: process.definitionId, input });
    setInstanceId(created.instanceId);
    return created.instanceId;
  };
  const run = async (work: () => Promise<void>) => {
    setBusy(true); setError(null);
    try { await work(); } catch (e) {
      setError(e);
      if (e instanceof ApiError) { setErrors(serverErrors(e.fieldErrors)); if (e.code === 'form_invalid') message.error('表单有误，请按提示修改'); }
    } finally { setBusy(false); }
  };
  const unlockPlatformFields = process.definitionId === 'provincial-resource';
  const outgoing = () => unlockPlatformFields ? data : withoutPlatformFields(schema, data);
  const adoptPlatformFields = (saved: ApplicationDetail) => {
    if (unlockPlatformFields || !saved.form) return;
    const platform = platformFields(schema);
    setData((d) => ({ ...withoutPlatformFields(schema, d), ...Object.fromEntries(platform.filter((k) => saved.form![k] !== undefined).map((k) => [k, saved.form![k]])) }));
  };
  const save = () => run(async () => {
    const id = await ensureDraft();
    adoptPlatformFields(await api.put<ApplicationDetail>(`/api/applications/${id}/draft`, { form: outgoing() }));
    message.success('草稿已保存');
  });
  const submit = () => run(async () => {
    const found = validateForm(schema, data);
    setErrors(found);
    if (Object.keys(found).length > 0) { message.error('表单有误，请按提示修改'); return; }
    const id = await ensureDraft();
    await api.post(`/api/applications/${id}/submit`, { form: outgoing() });
    message.success('申请已提交');
    navigate(`/applications/${id}`);
  });
  const upload = async (file: File, field: string): Promise<UploadedFile> => {
    try {
      const id = await ensureDraft();
      const a = await api.upload<AttachmentView>(`/api/applications/${id}/attachments${query({ field })}`, file);
      return { id: a.id, name: a.fileName, size: a.size, contentType: a.contentType };
    } catch (e) {
      setError(e);
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

  return (
    <div>
      <Card size="small" className="no-print" style={{ marginBottom: 12 }} title={<span data-testid="form-title">{schema.title}</span>}
        extra={<Space>
          <Button onClick={save} loading={busy} data-testid="save-draft">保存草稿</Button>
          <Button onClick={() => setPrinting(true)} data-testid="print">打印（盖章用）</Button>
          <Button type="primary" onClick={submit} loading={busy} data-testid="submit">提交申请</Button>
        </Space>}>
        {schema.description && <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>{schema.description}</Typography.Paragraph>}
        {Object.keys(input).length > 0 && <Descriptions size="small" column={3}>
          {Object.entries(input).map(([k, v]) => <Descriptions.Item key={k} label={inputNames[k] ?? k}>{k === 'shareType' ? shareTypes[String(v)] ?? String(v) : String(v)}</Descriptions.Item>)}
        </Descriptions>}
        <ErrorAlert error={error} />
      </Card>
      <div className="no-print"><SchemaForm schema={schema} data={data} onChange={setData} errors={errors} onUpload={upload} unlockPlatformFields={unlockPlatformFields} /></div>
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
    return <Card size="small" title={process.name}><Typography.Paragraph>请先在<Link to="/catalog">资源目录</Link>中选择要申请的资源，再点击“订阅”或“申请接口”。</Typography.Paragraph>
      <Typography.Text type="secondary">缺少：{missing.map((k) => inputNames[k] ?? k).join('、')}</Typography.Text></Card>;
  }
  // What the signed-in user's profile already says, for the fields of this form that ask for it (the unit's own fields are
  // filled by the server from the organisation records).
  const known: Record<string, unknown> = {
    department: me?.unit.name, contactName: me?.displayName, handler: me?.displayName, applicantName: me?.displayName,
    contactPhone: me?.phone ?? undefined, phone: me?.phone ?? undefined, contactEmail: me?.email ?? undefined, email: me?.email ?? undefined,
    jobTitle: me?.title ?? undefined, applicationDate: dayjs().format('YYYY-MM-DD'),
  };
  const keys = new Set(allFields(schema.data).map((f) => f.key));
  const unitPrefill: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(known)) if (keys.has(key) && value !== undefined && value !== null) unitPrefill[key] = value;
  Object.assign(unitPrefill, prefill);
  return <ApplicationEditor key={process.definitionId} process={process} schema={schema.data} input={input} prefill={unitPrefill} />;
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
  if (a.isDraft && can('submit') && schema.data) {
    const process = processes.data?.find((p) => p.definitionId === a.definitionId) ??
      { definitionId: a.definitionId, name: a.processName, description: null, version: a.definitionVersion, formId: a.formId, formTitle: null, applicantStep: null, inputKeys: [] };
    return <ApplicationEditor process={process} schema={schema.data} draft={a} input={a.input ?? {}} />;
  }
  const act = async (path: string, body: unknown, done: string) => {
    setActionError(null);
    try { await api.post(`/api/applications/${a.instanceId}/${path}`, body); message.success(done); await detail.reload(); } catch (e) { setActionError(e); }
  };
  let reason = '';
  return (
    <div>
      <Card size="small" className="no-print" style={{ marginBottom: 12 }}
        title={<Space><span data-testid="application-title">{a.processName}</span><span data-testid="application-status">{statusTag(a.status, a.isDraft)}</span></Space>}
        extra={<Space>
          {can('urge') && <Button onClick={() => act('urge', {}, '已催办')}>催办</Button>}
          {can('withdraw') && <Button danger onClick={() => modal.confirm({ title: '撤回申请？', content: <Input.TextArea placeholder="撤回原因（可选）" maxLength={TextLimits.comment} showCount onChange={(e) => { reason = e.target.value; }} />,
            okText: '撤回', cancelText: '取消', onOk: () => act('withdraw', { reason: reason || undefined }, '申请已撤回') })}>撤回</Button>}
          <Button onClick={() => window.print()}>打印</Button>
        </Space>}>
        <ErrorAlert error={actionError} />
        <Descriptions size="small" column={3}>
          <Descriptions.Item label="申请单位">{a.applicant.orgUnitName}</Descriptions.Item>
          <Descriptions.Item label="申请人">{a.applicant.displayName}</Descriptions.Item>
          <Descriptions.Item label="提交时间">{fmt(a.createdAt)}</Descriptions.Item>
          {a.finishedAt && <Descriptions.Item label="办结时间">{fmt(a.finishedAt)}</Descriptions.Item>}
        </Descriptions>
      </Card>
      <Row gutter={12}>
        <Col xs={24} xl={16}>
          <Card size="small" title="当前办理" style={{ marginBottom: 12 }} data-testid="current-steps">
            <Table size="small" rowKey="taskId" pagination={false} dataSource={a.currentSteps} locale={{ emptyText: pascal(a.status) === 'Finished' ? '已办结' : '暂无进行中的环节' }}
              columns={[
                { title: '环节', dataIndex: 'title' },
                { title: '办理单位', render: (_, s) => s.orgUnitName ?? s.orgUnitId ?? '—' },
                { title: '办理人', render: (_, s) => s.assigneeName ?? s.assigneeId ?? (s.candidates ?? []).map((c) => typeof c === 'string' ? c : c.displayName).join('、') ?? '—' },
                { title: '办理时限', render: (_, s) => <DueBadge dueAt={s.dueAt} level={s.level} clock={s.deadline} /> },
              ]} />
            {a.currentSteps.map((s) => s.deadline && <Typography.Paragraph key={s.taskId} type="secondary" style={{ fontSize: 12, margin: '6px 0 0' }}>{s.title}：{s.deadline.explanation}</Typography.Paragraph>)}
          </Card>
          <ClockExplanation clock={a.caseClock} title="全程时限" />
          <ExchangeProgress steps={a.exchange} />
          {schema.data && <>
            <div className="no-print"><SchemaForm schema={schema.data} data={a.form} readOnly /></div>
            <div className="print-only"><PrintableForm schema={schema.data} data={a.form} applicant={a.applicant.orgUnitName} /></div>
          </>}
        </Col>
        <Col xs={24} xl={8} className="no-print">
          <HistoryTimeline application={a} />
          <div style={{ height: 12 }} />
          <Attachments application={a} />
        </Col>
      </Row>
    </div>
  );
}
