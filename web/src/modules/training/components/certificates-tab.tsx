import { useState } from 'react';
import { Alert, App, Button, Flex, Input, Modal, Progress, Space, Table, Tag } from 'antd';
import { DownloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { problemText } from '../../../shared/i18n/server-messages.ts';
import { EmptyBlock, ErrorBlock } from '../../../shared/ui/states.tsx';
import { download } from '../../../shared/api/download.ts';
import { certificateJobQuery, certificatesQuery, useTrainingMutations } from '../api.ts';
import { ToneTag } from './labels.tsx';
import { useTrainingT } from '../i18n/use-training-t.ts';
import type { Certificate, TrainingClassDetail } from '../types.ts';

/** Issue certificates to everyone completed (a job with progress), list them, download, revoke. */
export function CertificatesTab({ detail, canOrganize }: { detail: TrainingClassDetail; canOrganize: boolean }) {
  const { t: tc, formatNumber, formatDateTime } = useLocale();
  const t = useTrainingT();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [page, setPage] = useState(1);
  const [jobId, setJobId] = useState<number | null>(null);
  const [revoking, setRevoking] = useState<Certificate | null>(null);
  const [reason, setReason] = useState('');
  const certificates = useQuery(certificatesQuery(detail.id, page));
  const { startCertificates, revokeCertificate } = useTrainingMutations(detail.id);
  const job = useQuery({
    ...certificateJobQuery(jobId ?? 0),
    enabled: jobId !== null,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      if (status === 'succeeded' || status === 'failed') {
        void client.invalidateQueries({ queryKey: ['training', 'class', detail.id, 'certificates'] });
        return false;
      }
      return 1000;
    },
  });
  const running = job.data && (job.data.status === 'queued' || job.data.status === 'running');

  const pdf = async (c: Certificate) => {
    try {
      await download(`/training/certificates/${c.id}.pdf`, `${c.number}.pdf`);
    } catch (error) {
      void message.error(problemText(error, tc));
    }
  };

  return (
    <div>
      {canOrganize && (
        <Flex vertical gap={12} style={{ marginBottom: 16 }}>
          <div>
            <Button type="primary" icon={<SafetyCertificateOutlined />} loading={startCertificates.isPending || !!running}
              onClick={() => startCertificates.mutate(undefined, { onSuccess: (started) => setJobId(started.id), onError: (error) => void message.error(problemText(error, tc)) })}>
              {t('cert.start')}
            </Button>
          </div>
          {job.data && (
            <div data-testid="certificate-job" aria-live="polite">
              <Progress
                percent={job.data.total ? Math.round((job.data.done / job.data.total) * 100) : job.data.status === 'succeeded' ? 100 : 0}
                status={job.data.status === 'failed' ? 'exception' : job.data.status === 'succeeded' ? 'success' : 'active'}
                aria-label={t('cert.start')}
              />
              {job.data.status === 'succeeded' && <Alert type="success" showIcon title={t('cert.finished', { issued: job.data.issued })} />}
              {job.data.status === 'failed' && <Alert type="error" showIcon title={t('cert.failed', { error: job.data.error ?? '' })} />}
              {running && <span className="wh-secondary">{t('cert.running', { done: formatNumber(job.data.done), total: formatNumber(job.data.total) })}</span>}
            </div>
          )}
        </Flex>
      )}
      {certificates.error ? (
        <ErrorBlock error={certificates.error} onRetry={() => void certificates.refetch()} />
      ) : (
        <Table<Certificate>
          rowKey="id"
          size="middle"
          aria-label={t('tab.certificates')}
          loading={certificates.isFetching}
          dataSource={certificates.data?.items ?? []}
          locale={{ emptyText: certificates.isPending ? ' ' : <EmptyBlock description={t('cert.none')} /> }}
          scroll={{ x: 900 }}
          pagination={{ current: page, pageSize: 20, total: certificates.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
          columns={[
            { key: 'number', title: t('cert.number'), dataIndex: 'number', width: 200, render: (v: string) => <span style={{ fontFamily: 'monospace' }}>{v}</span> },
            { key: 'holder', title: t('cert.holder'), width: 120, render: (_, c) => c.personName },
            { key: 'hours', title: t('cert.hours'), dataIndex: 'hours', width: 80 },
            { key: 'issued', title: t('cert.issuedAt'), width: 180, render: (_, c) => formatDateTime(c.issuedAt) },
            { key: 'state', title: t('field.status'), width: 100, render: (_, c) => (c.revokedAt ? <Tag color="red">{t('cert.revoked')}</Tag> : <ToneTag color="green">{t('cert.valid')}</ToneTag>) },
            {
              key: 'actions', title: '', width: 200,
              render: (_, c) => (
                <Space>
                  <Button size="small" icon={<DownloadOutlined />} onClick={() => void pdf(c)}>{t('cert.download')}</Button>
                  {canOrganize && !c.revokedAt && <Button size="small" danger onClick={() => { setReason(''); setRevoking(c); }}>{t('cert.revoke')}</Button>}
                </Space>
              ),
            },
          ]}
        />
      )}
      <Modal
        open={revoking !== null}
        title={`${t('cert.revoke')} ${revoking?.number ?? ''}`}
        onCancel={() => setRevoking(null)}
        okButtonProps={{ danger: true, disabled: !reason.trim() }}
        okText={t('cert.revoke')}
        confirmLoading={revokeCertificate.isPending}
        onOk={() => revoking && revokeCertificate.mutate({ id: revoking.id, reason: reason.trim() }, {
          onSuccess: () => setRevoking(null),
          onError: (error) => void message.error(problemText(error, tc)),
        })}
      >
        <label htmlFor="revoke-reason">{t('cert.revokeReason')}</label>
        <Input.TextArea id="revoke-reason" rows={3} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
      </Modal>
    </div>
  );
}
