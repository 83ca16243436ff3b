import { Button, Card, Input, Select, Space, Spin, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, ApiError, query } from '../api';
import { SchemaForm } from '../forms/SchemaForm';
import { useSchema } from '../forms/useSchema';
import type { CatalogEntryDetail, CatalogSummary, Page } from '../types';
import { ErrorAlert, fmt } from '../ui';
import { useLoad } from '../useLoad';
import { NoAccess } from './CaseParts';

const shareTypeTags: Record<number, [string, string]> = { 1: ['无条件共享', 'green'], 2: ['有条件共享', 'gold'], 3: ['不予共享', 'default'] };
export const shareTag = (t: number) => <Tag color={shareTypeTags[t]?.[1]}>{shareTypeTags[t]?.[0] ?? t}</Tag>;
const formatNames: Record<string, string> = { document: '电子文件', spreadsheet: '电子表格', database: '数据库', image: '图形图像', media: '流媒体', selfDescribing: '自描述格式', other: '其他' };

// The API nests the catalog's own views ({version, providerName}, {entry, providerName}); both shapes are accepted.
type Nested<T> = T | ({ providerName: string } & ({ version: T } | { entry: T }));
const flatten = <T,>(item: Nested<T>): T => {
  const nested = item as { providerName?: string; version?: T; entry?: T };
  const inner = nested.version ?? nested.entry;
  return inner ? { ...inner, providerName: nested.providerName } : (item as T);
};

export function CatalogPage() {
  const [filters, setFilters] = useState({ name: '', shareType: '', formatCategory: '' });
  const [page, setPage] = useState(1);
  const list = useLoad(async () => {
    const found = await api.get<Page<Nested<CatalogSummary>>>(`/api/catalog/entries${query({ ...filters, page, pageSize: 20 })}`);
    return { ...found, items: found.items.map(flatten) };
  }, [filters, page]);
  return (
    <Card size="small" title="政务信息资源目录">
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search id="catalog-search" placeholder="资源名称" allowClear onSearch={(name) => { setFilters({ ...filters, name }); setPage(1); }} style={{ width: 260 }} />
        <Select value={filters.shareType} style={{ width: 140 }} onChange={(shareType) => setFilters({ ...filters, shareType })}
          options={[{ value: '', label: '全部共享类型' }, { value: '1', label: '无条件共享' }, { value: '2', label: '有条件共享' }, { value: '3', label: '不予共享' }]} />
        <Select value={filters.formatCategory} style={{ width: 140 }} onChange={(formatCategory) => setFilters({ ...filters, formatCategory })}
          options={[{ value: '', label: '全部格式' }, ...Object.entries(formatNames).map(([value, label]) => ({ value, label }))]} />
      </Space>
      <ErrorAlert error={list.error} />
      <Table<CatalogSummary> size="small" rowKey="entryId" loading={list.loading} dataSource={list.data?.items ?? []} locale={{ emptyText: '没有符合条件的资源' }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showTotal: (t) => `共 ${t} 条` }}
        columns={[
          { title: '资源名称', dataIndex: 'resourceName', render: (v, e) => <Link to={`/catalog/${e.entryId}`}>{v}</Link> },
          { title: '信息资源代码', dataIndex: 'resourceCode' },
          { title: '提供单位', dataIndex: 'providerName' },
          { title: '共享类型', dataIndex: 'shareType', render: shareTag },
          { title: '格式', dataIndex: 'formatCategory', render: (v) => formatNames[v] ?? v },
          // The catalog's own 发布日期 (its metadata), as the entry page shows it; the platform's publication date otherwise.
          { title: '发布日期', dataIndex: 'publishDate', render: (v, e) => <span data-testid="catalog-publish-date">{v ?? fmt(e.publishedAt, false)}</span> },
        ]} />
    </Card>
  );
}

export function CatalogEntryPage() {
  const { entryId } = useParams();
  const navigate = useNavigate();
  const entry = useLoad(async () => flatten(await api.get<Nested<CatalogEntryDetail>>(`/api/catalog/entries/${entryId}`)), [entryId]);
  const version = entry.data?.published ?? entry.data?.inProgress ?? null;
  const schema = useSchema(version ? 'catalog-entry' : null);
  if (entry.loading && !entry.data) return <Spin />;
  if (entry.error instanceof ApiError && entry.error.status === 404) return <NoAccess error={entry.error} />;
  if (!entry.data || !version) return <ErrorAlert error={entry.error} />;
  const e = entry.data;
  const isApi = version.data.shareMethodType === 'api' || version.data.mountKind === 'api';
  const form = (values: Record<string, string | number>) => Object.entries(values).map(([k, v]) => `form.${k}=${encodeURIComponent(String(v))}`).join('&');
  // Only what the applicant chooses goes in: the provider, share type and the rest come from the catalog on the server.
  const subscribe = () => navigate(`/applications/new?definitionId=subscription&`
    + form({ resourceCode: version.resourceCode, resourceType: version.formatCategory === 'database' ? 'table' : 'file' }));
  const apiMount = e.mounts?.find((m) => m.kind === 'api') as { name?: string } | undefined;
  const requestInterface = () => navigate(`/applications/new?definitionId=interface-request&`
    + form({ resourceCode: version.resourceCode, ...(apiMount?.name ? { interfaceName: apiMount.name } : {}) }));
  const notShared = version.shareType === 3;
  return (
    <div>
      <Card size="small" style={{ marginBottom: 12 }} title={<Space><span data-testid="entry-name">{version.resourceName}</span>{shareTag(version.shareType)}</Space>}
        extra={<Space>
          <Tooltip title={notShared ? '不予共享的资源不能订阅，可联系市大数据局协调' : ''}><Button type="primary" disabled={notShared} onClick={subscribe} data-testid="subscribe">订阅</Button></Tooltip>
          <Tooltip title={notShared ? '不予共享的资源不能申请接口' : ''}><Button disabled={notShared} onClick={requestInterface} data-testid="request-interface">申请接口</Button></Tooltip>
          {notShared && <Tooltip title="不予共享的资源可申请市大数据局组织提供方协商（《平顶山市政务数据管理办法》第十八条）">
            <Button onClick={() => navigate(`/applications/new?definitionId=dispute&${form({ resourceCode: version.resourceCode })}`)} data-testid="request-coordination">申请协调</Button></Tooltip>}
        </Space>}>
        <Typography.Text type="secondary">{version.resourceCode} · {e.providerName} · 第 {version.number} 版 · {version.statusName}{isApi ? ' · 接口' : ''}
          {' · 发布日期 '}<span data-testid="entry-publish-date">{String(version.data.publishDate ?? fmt(version.publishedAt, false))}</span></Typography.Text>
      </Card>
      {schema.data ? <SchemaForm schema={schema.data} data={version.data} readOnly /> : <Spin />}
    </div>
  );
}
