import { App, Button, Card, List, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { problemText } from '../../../shared/i18n/server-messages.ts';
import { EmptyBlock, QueryView } from '../../../shared/ui/states.tsx';
import { download } from '../../../shared/api/download.ts';
import { useTrainingT } from '../i18n/use-training-t.ts';
import { myCertificatesQuery } from './api.ts';

/** My certificates, each to download as the PDF. */
export default function MyCertificatesPage() {
  const { t: tc, formatDate } = useLocale();
  const t = useTrainingT();
  const { message } = App.useApp();
  const certificates = useQuery(myCertificatesQuery);
  return (
    <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('my.certificates')}</Typography.Title>}>
      <QueryView query={certificates} rows={4}>
        {(list) => list.length ? (
          <List
            dataSource={list}
            renderItem={(c) => (
              <List.Item actions={[
                <Button key="pdf" size="small" icon={<DownloadOutlined />} aria-label={`${t('my.downloadCertificate')} ${c.number}`}
                  onClick={() => void download(`/my/training/certificates/${c.id}.pdf`, `${c.number}.pdf`).catch((error: unknown) => void message.error(problemText(error, tc)))}>
                  {t('my.downloadCertificate')}
                </Button>,
              ]}>
                <div style={{ minWidth: 0 }}>
                  <Typography.Text strong>{c.classTitle}</Typography.Text>
                  <div><Typography.Text type="secondary" style={{ fontSize: 13, fontFamily: 'monospace' }}>{c.number}</Typography.Text></div>
                  <Typography.Text type="secondary" style={{ fontSize: 13 }}>{formatDate(c.issuedAt)} · {t('cert.hours')} {c.hours}</Typography.Text>
                  {c.revokedAt && <Tag color="red">{t('cert.revoked')}</Tag>}
                </div>
              </List.Item>
            )}
          />
        ) : <EmptyBlock description={t('my.noCertificates')} />}
      </QueryView>
    </Card>
  );
}
