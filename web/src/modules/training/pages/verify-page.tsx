import { useEffect } from 'react';
import { Alert, Button, Card, Descriptions, Flex, Form, Input, Typography } from 'antd';
import { CheckCircleFilled } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { ApiError } from '../../../shared/api/client.ts';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { LanguageSwitch } from '../../../shared/ui/language-switch.tsx';
import { ErrorBlock, LoadingBlock } from '../../../shared/ui/states.tsx';
import { verifyQuery } from '../api.ts';
import { formatRange } from '../components/labels.tsx';
import { useTrainingT } from '../i18n/use-training-t.ts';

function Result({ number }: { number: string }) {
  const { formatDate } = useLocale();
  const t = useTrainingT();
  const result = useQuery(verifyQuery(number));
  if (result.isPending) return <LoadingBlock rows={6} />;
  if (result.error) {
    if (result.error instanceof ApiError && (result.error.status === 404 || result.error.status === 400)) {
      // 400: not even the shape of a number (or its check character does not match: a typo).
      const title = result.error.status === 400 ? t('verify.malformed') : t('verify.notFound');
      return <Alert type="error" showIcon title={title} description={number} data-testid="verify-result" role="alert" />;
    }
    return <ErrorBlock error={result.error} onRetry={() => void result.refetch()} />;
  }
  const c = result.data;
  const revoked = !c.valid || c.revokedAt !== null;
  return (
    <div data-testid="verify-result">
      {revoked ? (
        <Alert type="error" showIcon title={t('verify.revoked')} role="alert" style={{ marginBottom: 16 }} />
      ) : (
        <Alert type="success" showIcon icon={<CheckCircleFilled />} title={t('verify.valid')} role="status" style={{ marginBottom: 16 }} />
      )}
      <Descriptions column={1} bordered size="small" styles={{ label: { whiteSpace: 'nowrap' } }} items={[
        { key: 'number', label: t('verify.number'), children: <span style={{ fontFamily: 'monospace' }}>{c.number}</span> },
        { key: 'holder', label: t('verify.holder'), children: c.holder },
        { key: 'class', label: t('verify.class'), children: c.classTitle },
        { key: 'org', label: t('verify.org'), children: c.orgName },
        { key: 'dates', label: t('verify.dates'), children: formatRange(formatDate, c.startsOn, c.endsOn) },
        { key: 'hours', label: t('verify.hours'), children: String(c.hours) },
        { key: 'issued', label: t('verify.issuedAt'), children: formatDate(c.issuedAt) },
        ...(c.revokedAt ? [{ key: 'revoked', label: t('verify.revokedAt'), children: formatDate(c.revokedAt) }] : []),
      ]} />
    </div>
  );
}

/** Public: anyone checks a certificate by its number (/verify/:number, the QR code printed on it), or types one (/verify). */
export default function VerifyPage() {
  const { t: tc } = useLocale();
  const t = useTrainingT();
  const { number } = useParams();
  const navigate = useNavigate();
  const [form] = Form.useForm<{ number: string }>();
  useEffect(() => { form.setFieldsValue({ number: number ?? '' }); }, [number, form]);
  useEffect(() => { document.title = `${t('verify.title')} · ${tc('app.name')}`; }, [t, tc]);
  return (
    <div style={{ minHeight: '100vh', background: '#f5f5f5' }}>
      <header style={{ background: '#c8102e', color: '#fff', padding: '12px 16px' }}>
        <Flex justify="space-between" align="center" style={{ maxWidth: 720, margin: '0 auto' }}>
          <a href="/verify" style={{ color: '#fff', fontSize: 18, fontWeight: 600, textDecoration: 'none' }}>{tc('app.name')}</a>
          <LanguageSwitch />
        </Flex>
      </header>
      <main style={{ maxWidth: 720, margin: '0 auto', padding: 16 }}>
        <Card>
          <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>{t('verify.title')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('verify.intro')}</Typography.Paragraph>
          <Form form={form} layout="vertical" onFinish={(values) => void navigate(`/verify/${encodeURIComponent(values.number.trim())}`)}>
            <Flex gap={8} align="start" wrap>
              <Form.Item name="number" label={t('verify.number')} rules={[{ required: true, whitespace: true, message: t('verify.required') }]} style={{ flex: 1, minWidth: 220, marginBottom: 16 }}>
                <Input size="large" autoComplete="off" style={{ fontFamily: 'monospace' }} maxLength={64} />
              </Form.Item>
              <Form.Item label=" " style={{ marginBottom: 16 }}>
                <Button type="primary" size="large" htmlType="submit">{t('verify.submit')}</Button>
              </Form.Item>
            </Flex>
          </Form>
          {number && <Result number={number} />}
        </Card>
      </main>
    </div>
  );
}
