import { useState } from 'react';
import { Button, Flex, Input, Select, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { ArticleStatus, ArticleSummary, NewsChannel } from '@workers-home/contract';
import { Panel } from '../../../shared/ui/panel.tsx';
import { EmptyBlock, ErrorBlock } from '../../../shared/ui/states.tsx';
import { OrgSelect } from '../../orgs/index.ts';
import { articleListQuery } from '../api.ts';
import { ARTICLE_STATUSES, CHANNELS, chinaTime, StatusTag } from '../components/labels.tsx';
import { useNewsT } from '../i18n/use-news-t.ts';
import { useUrlFilter } from '../../../shared/ui/url-filter.ts';

/** The newsroom's articles, latest change first, with filters kept in the address. */
export default function ArticleListPage() {
  const t = useNewsT();
  const { search, update } = useUrlFilter();
  const status = ARTICLE_STATUSES.find((s) => s === search.get('status'));
  const channel = CHANNELS.find((c) => c === search.get('channel'));
  const orgId = search.get('orgId') ? Number(search.get('orgId')) : undefined;
  const q = search.get('q') ?? undefined;
  const page = Number(search.get('page') ?? '1') || 1;
  const filter = { q, status, channel, orgId };
  const list = useQuery(articleListQuery(filter, page, 20));
  const [typed, setTyped] = useState(q ?? '');
  const filtered = Object.values(filter).some((v) => v !== undefined);

  return (
    <Panel
      title={t('title')}
      extra={<Flex gap={8} wrap><Link to="/newsroom/reports"><Button>{t('reports')}</Button></Link><Link to="/newsroom/articles/new"><Button type="primary" icon={<PlusOutlined />}>{t('newArticle')}</Button></Link></Flex>}
    >
      <Flex wrap gap={8} style={{ marginBottom: 12 }}>
        <Input.Search placeholder={t('search')} aria-label={t('search')} value={typed} onChange={(e) => setTyped(e.target.value)} onSearch={(v) => update({ q: v.trim() })} style={{ maxWidth: 260 }} allowClear />
        <Select<ArticleStatus> allowClear placeholder={t('filterStatus')} aria-label={t('filterStatus')} value={status} style={{ minWidth: 140 }}
          options={ARTICLE_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))} onChange={(v) => update({ status: v })} />
        <Select<NewsChannel> allowClear placeholder={t('filterChannel')} aria-label={t('filterChannel')} value={channel} style={{ minWidth: 140 }}
          options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))} onChange={(v) => update({ channel: v })} />
        <OrgSelect value={orgId} onChange={(v) => update({ orgId: v })} placeholder={t('filterOrg')} aria-label={t('filterOrg')} style={{ minWidth: 200 }} />
      </Flex>
      {list.error ? <ErrorBlock error={list.error} onRetry={() => void list.refetch()} /> : (
        <Table<ArticleSummary>
          rowKey="id"
          size="middle"
          loading={list.isPending}
          dataSource={list.data?.items ?? []}
          // Wide enough that on a phone the title column (with its "reprinted from" line) is not squeezed to a few characters.
          scroll={{ x: 800 }}
          locale={{ emptyText: <EmptyBlock description={filtered ? t('noMatches') : t('empty')} /> }}
          pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, showSizeChanger: false, showTotal: (n) => t('total', { count: n }), onChange: (p) => update({ page: p }) }}
          columns={[
            {
              key: 'title', title: t('field.title'), render: (_, a) => (
                <>
                  <Link to={`/newsroom/articles/${a.id}`}>{a.introTitle ? <div style={{ fontSize: 12, color: '#888' }}>{a.introTitle}</div> : null}{a.title}</Link>
                  {a.reprintFrom ? <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('reprint.from', { org: a.reprintFrom })}</Typography.Text></div> : null}
                </>
              ),
            },
            { key: 'status', title: t('filterStatus'), width: 120, render: (_, a) => <StatusTag status={a.status} /> },
            { key: 'channel', title: t('field.channel'), width: 110, render: (_, a) => t(`channel.${a.channel}`) },
            { key: 'org', title: t('field.org'), dataIndex: 'orgName', width: 180 },
            { key: 'updatedAt', title: t('updatedAt'), width: 150, render: (_, a) => chinaTime(a.updatedAt) },
          ]}
        />
      )}
    </Panel>
  );
}
