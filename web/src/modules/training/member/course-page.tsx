import { useState } from 'react';
import { Alert, Button, Card, Flex, List, Progress, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { problemText } from '../../../shared/i18n/server-messages.ts';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { QueryView } from '../../../shared/ui/states.tsx';
import { ToneTag } from '../components/labels.tsx';
import { useTrainingT } from '../i18n/use-training-t.ts';
import type { MyMaterial, StudyProgress } from '../types.ts';
import { myCourseQuery } from './api.ts';
import { EmbeddedContent } from './embedded-content.tsx';
import { useHeartbeat } from './use-heartbeat.ts';

const minutesOf = (m: MyMaterial) => m.studiedSeconds / 60;

/** Studying one material: its content, and study heartbeats while the page is shown. */
function Study({ material, onClose }: { material: MyMaterial; onClose: () => void }) {
  const { t: tc } = useLocale();
  const t = useTrainingT();
  const beat = useHeartbeat<StudyProgress>(`/my/training/materials/${material.id}/study`);
  const minutes = beat.last ? beat.last.studiedSeconds / 60 : minutesOf(material);
  return (
    <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{material.title}</Typography.Title>}>
      <Progress percent={Math.min(100, Math.round((minutes / material.requiredMinutes) * 100))} aria-label={material.title} />
      <Typography.Paragraph type="secondary">{t('my.studied', { minutes: Math.floor(minutes), required: material.requiredMinutes })} · {beat.counting ? t('my.studying') : t('my.paused')}</Typography.Paragraph>
      <Alert type="info" showIcon title={t('my.studyHint')} style={{ marginBottom: 12 }} />
      {beat.error ? <Alert type="warning" showIcon title={problemText(beat.error, tc)} style={{ marginBottom: 12 }} /> : null}
      {material.url && <EmbeddedContent url={material.url} title={material.title} kind="material" />}
      {material.body && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 12 }}>{material.body}</Typography.Paragraph>}
      <Button block style={{ marginTop: 12 }} onClick={onClose}>{t('my.back')}</Button>
    </Card>
  );
}

/** An online course: its materials with my minutes against the required minutes. */
export default function CoursePage() {
  const t = useTrainingT();
  const id = Number(useParams().id);
  const course = useQuery(myCourseQuery(id));
  const [studying, setStudying] = useState<MyMaterial | null>(null);
  if (studying) return <Study material={studying} onClose={() => { setStudying(null); void course.refetch(); }} />;
  return (
    <QueryView query={course} rows={6}>
      {(c) => (
        <Flex vertical gap={12}>
          <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{c.title}</Typography.Title>}>
            {c.description && <Typography.Paragraph type="secondary">{c.description}</Typography.Paragraph>}
            <List
              dataSource={[...c.materials].sort((a, b) => a.position - b.position)}
              locale={{ emptyText: t('course.noMaterials') }}
              renderItem={(m) => {
                const minutes = minutesOf(m);
                return (
                  <List.Item actions={[<Button key="study" size="small" type="primary" onClick={() => setStudying(m)}>{t('my.study')}</Button>]}>
                    <div style={{ minWidth: 0, flex: 1 }}>
                      <ToneTag color={m.done ? 'green' : 'default'}>{t(`course.kind.${m.kind}`)}</ToneTag> <Typography.Text>{m.title}</Typography.Text>
                      <Progress percent={Math.min(100, Math.round((minutes / m.requiredMinutes) * 100))} size="small" aria-label={m.title} />
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('my.studied', { minutes: Math.floor(minutes), required: m.requiredMinutes })}</Typography.Text>
                    </div>
                  </List.Item>
                );
              }}
            />
          </Card>
          <Link to="/training">{t('my.back')}</Link>
        </Flex>
      )}
    </QueryView>
  );
}
