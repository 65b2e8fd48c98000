import { useState } from 'react';
import { Col, Input, Row, Tag } from 'antd';
import { Panel } from '../../../shared/ui/panel.tsx';
import '../../../shared/ui/text.css';
import { useQuery } from '@tanstack/react-query';
import { Link, Outlet, useNavigate, useParams } from 'react-router';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { EmptyBlock, QueryView } from '../../../shared/ui/states.tsx';
import { orgSearchQuery } from '../api.ts';
import { LEVEL_COLOR, LEVEL_LABEL } from '../components/org-labels.ts';
import { OrgTree } from '../components/org-tree.tsx';

/** The organization tree (or search results) beside the opened organization. */
export default function OrgsPage() {
  const { t } = useLocale();
  const navigate = useNavigate();
  const params = useParams();
  const selectedId = params.id ? Number(params.id) : undefined;
  const [q, setQ] = useState('');
  const search = useQuery(orgSearchQuery({ q }));

  const open = (id: number) => {
    setQ('');
    void navigate(`/orgs/${id}`);
  };

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={9} xl={7}>
        <Panel title={<h1 className="wh-card-title">{t('orgs.title')}</h1>} bodyStyle={{ padding: 12 }}>
          <Input.Search
            placeholder={t('orgs.searchPlaceholder')}
            aria-label={t('orgs.searchPlaceholder')}
            allowClear
            enterButton={t('action.search')}
            onSearch={(value) => setQ(value.trim())}
            style={{ marginBottom: 12 }}
          />
          {q ? (
            <QueryView query={search} rows={8} minHeight={560}>
              {(page) => (
                <div style={{ minHeight: 560 }}>
                  <span className="wh-secondary">{t('orgs.searchResults', { count: page.total })}</span>
                  {page.items.length === 0 ? (
                    <EmptyBlock description={t('orgs.searchNone')} />
                  ) : (
                    <ul className="wh-result-list" aria-label={t('orgs.searchResultsLabel')}>
                      {page.items.map((org) => (
                        <li key={org.id}>
                          <Link to={`/orgs/${org.id}`} onClick={() => setQ('')}>{org.name}</Link>
                          <Tag color={LEVEL_COLOR[org.level]}>{t(LEVEL_LABEL[org.level])}</Tag>
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              )}
            </QueryView>
          ) : (
            <OrgTree selectedId={selectedId} onSelect={open} />
          )}
        </Panel>
      </Col>
      <Col xs={24} lg={15} xl={17}>
        <Outlet />
      </Col>
    </Row>
  );
}
