import { Button, Card, Flex, List, Progress, Typography } from 'antd';
import { CalendarOutlined } from '@ant-design/icons';
import { RightOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { EmptyBlock, QueryView } from '../../../shared/ui/states.tsx';
import { ClassStatusTag, formatRange, ModeTag } from '../components/labels.tsx';
import { clock } from '../components/timetable-tab.tsx';
import { useTrainingT } from '../i18n/use-training-t.ts';
import { feedUrlQuery, myClassesQuery, myCoursesQuery } from './api.ts';

const heading = (text: string) => <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{text}</Typography.Title>;

/** The trainee's classes (with the next session) and online courses. */
export default function MyTrainingPage() {
  const { formatDate } = useLocale();
  const t = useTrainingT();
  const classes = useQuery(myClassesQuery);
  const courses = useQuery(myCoursesQuery);
  const feed = useQuery(feedUrlQuery);
  return (
    <Flex vertical gap={12}>
      <Card title={heading(t('my.classes'))}>
        <QueryView query={classes} rows={4}>
          {(list) => list.length ? (
            <List
              dataSource={list}
              renderItem={(c) => (
                <List.Item>
                  <Link to={`/training/classes/${c.classId}`} style={{ display: 'block', width: '100%', color: 'inherit' }} data-testid="my-class">
                    <Flex justify="space-between" align="center" gap={8}>
                      <div style={{ minWidth: 0 }}>
                        <Typography.Text strong>{c.title}</Typography.Text>
                        <div><ModeTag mode={c.mode} /><ClassStatusTag status={c.status} /></div>
                        <Typography.Text type="secondary" style={{ fontSize: 13 }}>{formatRange(formatDate, c.startsOn, c.endsOn)}{c.venue ? ` · ${c.venue}` : ''}</Typography.Text>
                        {c.nextSession && (
                          <div><Typography.Text style={{ fontSize: 13 }}>{t('my.nextSession', { topic: c.nextSession.topic })} · {formatDate(c.nextSession.startsAt)} {clock(c.nextSession.startsAt)}</Typography.Text></div>
                        )}
                      </div>
                      <RightOutlined aria-hidden />
                    </Flex>
                  </Link>
                </List.Item>
              )}
            />
          ) : <EmptyBlock description={t('my.noClasses')} />}
        </QueryView>
        {feed.data && (classes.data?.length ?? 0) > 0 && (
          // webcal: opens the phone's calendar app, which then keeps the timetable up to date.
          <Button block icon={<CalendarOutlined />} href={feed.data.url.replace(/^https?:/, 'webcal:')} style={{ marginTop: 8, whiteSpace: 'normal', height: 'auto', minHeight: 32 }}>{t('my.subscribe')}</Button>
        )}
      </Card>
      <Card title={heading(t('my.courses'))}>
        <QueryView query={courses} rows={3}>
          {(list) => list.length ? (
            <List
              dataSource={list}
              renderItem={(c) => {
                const required = c.requiredMinutes;
                const minutes = c.studiedMinutes;
                return (
                  <List.Item>
                    <Link to={`/training/courses/${c.id}`} style={{ display: 'block', width: '100%', color: 'inherit' }}>
                      <Typography.Text strong>{c.title}</Typography.Text>
                      <Progress percent={required ? Math.min(100, Math.round((minutes / required) * 100)) : 0} size="small" aria-label={c.title} />
                      <Typography.Text type="secondary" style={{ fontSize: 13 }}>{t('my.studied', { minutes: Math.floor(minutes), required })}</Typography.Text>
                    </Link>
                  </List.Item>
                );
              }}
            />
          ) : <EmptyBlock description={t('my.noCourses')} />}
        </QueryView>
      </Card>
    </Flex>
  );
}
