import { useState } from 'react';
import { Alert, Button, Card, Flex, Rate, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { COMPETENCY_ASPECTS, type CompetencyAspect } from '@workers-home/contract';
import { api } from '../../../shared/api/client.ts';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { problemText } from '../../../shared/i18n/server-messages.ts';
import { useTrainingT } from '../i18n/use-training-t.ts';
import type { MyClassDetail } from '../types.ts';

type Scores = Record<CompetencyAspect, number>;

/** My self-assessment against the 10-aspect competency model (seed 002), 1–5 stars per aspect. */
export function CompetencyCard({ detail }: { detail: MyClassDetail }) {
  const t = useTrainingT();
  const { formatDate, t: sharedT } = useLocale();
  const client = useQueryClient();
  const [scores, setScores] = useState<Partial<Scores>>(detail.competency?.scores ?? {});
  const submit = useMutation({
    mutationFn: (body: { scores: Scores }) => api(`/my/training/classes/${detail.classId}/competency`, { method: 'PUT', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['my-training', 'classes', detail.classId] }),
  });
  const missing = COMPETENCY_ASPECTS.filter(([aspect]) => !scores[aspect]);

  return (
    <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('competency.title')}</Typography.Title>}>
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        {detail.competency ? t('competency.submitted', { date: formatDate(detail.competency.submittedAt) }) : t('competency.hint')}
      </Typography.Paragraph>
      <Flex vertical gap={4}>
        {COMPETENCY_ASPECTS.map(([aspect]) => (
          <Flex key={aspect} justify="space-between" align="center" gap={8}>
            <Typography.Text id={`aspect-${aspect}`}>{t(`competency.aspect.${aspect}`)}</Typography.Text>
            <Rate aria-labelledby={`aspect-${aspect}`} value={scores[aspect] ?? 0} onChange={(value) => setScores({ ...scores, [aspect]: value || undefined })} />
          </Flex>
        ))}
      </Flex>
      {submit.error && <Alert type="error" showIcon style={{ marginTop: 12 }} title={problemText(submit.error, sharedT)} />}
      {submit.isSuccess && <Alert type="success" showIcon style={{ marginTop: 12 }} title={t('competency.saved')} />}
      <Button type="primary" block style={{ marginTop: 12 }} disabled={missing.length > 0} loading={submit.isPending}
        onClick={() => submit.mutate({ scores: scores as Scores })}>
        {missing.length > 0 ? t('competency.left', { count: missing.length }) : t('competency.submit')}
      </Button>
    </Card>
  );
}
