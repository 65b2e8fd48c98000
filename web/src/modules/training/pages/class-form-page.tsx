import { useEffect, useState } from 'react';
import { Alert, Button, Card, Checkbox, Col, DatePicker, Divider, Form, Input, InputNumber, Row, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useDayjsLocale } from '../../../shared/i18n/dayjs-locale.ts';
import { useT } from '../../../shared/i18n/locale.tsx';
import { renameErrorFields, showServerErrors } from '../../../shared/i18n/server-messages.ts';
import { ErrorBlock, LoadingBlock } from '../../../shared/ui/states.tsx';
import { OrgSelect } from '../../orgs/index.ts';
import { classQuery, planListQuery, useTrainingMutations, type ClassValues } from '../api.ts';
import { useTrainingT } from '../i18n/use-training-t.ts';
import type { TrainingClassDetail } from '../types.ts';
import { AudienceSelect } from '../components/audience-select.tsx';
import { keepEnterInPicker } from '../components/date-keys.ts';

interface FormValues {
  planId?: number | null;
  orgId: number;
  title: string;
  theme?: string;
  hostInstitution?: string;
  venue?: string;
  dates: [Dayjs, Dayjs];
  capacityOnsite: number;
  capacityLive: number;
  audienceOrgIds: number[];
  audienceNote?: string;
  classHours?: number | null;
  minAttendancePercent: number;
  minOnlineMinutes: number;
  minAssessmentScore?: number | null;
  livePresencePercent: number;
  competencyModel: boolean;
}

const FIELDS = ['planId', 'orgId', 'title', 'theme', 'hostInstitution', 'venue', 'dates', 'capacityOnsite', 'capacityLive', 'audienceOrgIds', 'audienceNote',
  'classHours', 'minAttendancePercent', 'minOnlineMinutes', 'minAssessmentScore', 'livePresencePercent', 'competencyModel'];
const RENAMES = {
  'body.startsOn': 'body.dates', 'body.endsOn': 'body.dates',
  'body.minAttendanceShare': 'body.minAttendancePercent', 'body.livePresenceShare': 'body.livePresencePercent',
};

const toValues = (c: TrainingClassDetail): FormValues => ({
  planId: c.planId, orgId: c.orgId, title: c.title, theme: c.theme ?? '', hostInstitution: c.hostInstitution ?? '', venue: c.venue ?? '',
  dates: [dayjs(c.startsOn), dayjs(c.endsOn)], capacityOnsite: c.capacityOnsite, capacityLive: c.capacityLive, audienceOrgIds: c.audienceOrgIds, audienceNote: c.audienceNote ?? '',
  classHours: c.classHours, minAttendancePercent: Math.round(Number(c.minAttendanceShare) * 100), minOnlineMinutes: c.minOnlineMinutes,
  minAssessmentScore: c.minAssessmentScore, livePresencePercent: Math.round(Number(c.livePresenceShare) * 100), competencyModel: c.competencyModel,
});

const text = (value: string | undefined, editing: boolean) => (value?.trim() ? value.trim() : editing ? null : undefined);

/** Creates a class, or edits one (/training/classes/:id/edit). Errors from the server land on their fields. */
export default function ClassFormPage() {
  const tc = useT();
  const t = useTrainingT();
  useDayjsLocale();
  const navigate = useNavigate();
  const { id } = useParams();
  const editing = id !== undefined;
  const existing = useQuery({ ...classQuery(Number(id)), enabled: editing });
  const plans = useQuery(planListQuery({}));
  const [form] = Form.useForm<FormValues>();
  const { createClass, updateClass } = useTrainingMutations();
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const saving = createClass.isPending || updateClass.isPending;

  useEffect(() => {
    if (existing.data) form.setFieldsValue(toValues(existing.data));
  }, [existing.data, form]);

  const submit = (values: FormValues) => {
    setOtherErrors([]);
    const common: Omit<ClassValues, 'orgId'> = {
      planId: values.planId ?? null,
      title: values.title.trim(),
      theme: text(values.theme, editing),
      hostInstitution: text(values.hostInstitution, editing),
      venue: text(values.venue, editing),
      startsOn: values.dates[0].format('YYYY-MM-DD'),
      endsOn: values.dates[1].format('YYYY-MM-DD'),
      capacityOnsite: values.capacityOnsite,
      capacityLive: values.capacityLive,
      audienceOrgIds: values.audienceOrgIds ?? [],
      audienceNote: text(values.audienceNote, editing),
      classHours: values.classHours ?? null,
      minAttendanceShare: values.minAttendancePercent / 100,
      minOnlineMinutes: values.minOnlineMinutes,
      minAssessmentScore: values.minAssessmentScore ?? null,
      livePresenceShare: values.livePresencePercent / 100,
      competencyModel: values.competencyModel,
    };
    const options = {
      onSuccess: (saved: TrainingClassDetail) => void navigate(`/training/classes/${saved.id}`),
      onError: (error: unknown) => setOtherErrors(showServerErrors(form, renameErrorFields(error, RENAMES), tc, FIELDS)),
    };
    // The organizer organization is chosen when the class is created and not changed after
    // (the server's PATCH does not take it): an edit sends everything else.
    if (editing) updateClass.mutate({ id: Number(id), ...common }, options);
    else createClass.mutate({ ...common, orgId: values.orgId }, options);
  };

  if (editing && existing.isPending) return <Card><LoadingBlock rows={10} /></Card>;
  if (editing && existing.error) return <ErrorBlock error={existing.error} onRetry={() => void existing.refetch()} />;
  const required = { required: true, message: tc('form.required') };

  return (
    <Card>
      <Typography.Title level={1} style={{ fontSize: 20, marginTop: 0 }}>{editing ? t('editClass') : t('newClass')}</Typography.Title>
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        style={{ maxWidth: 960 }}
        initialValues={{ capacityOnsite: 50, capacityLive: 0, minAttendancePercent: 80, minOnlineMinutes: 0, livePresencePercent: 60, competencyModel: false }}
      >
        {otherErrors.length > 0 && <Alert type="error" showIcon title={otherErrors.join('; ')} style={{ marginBottom: 16 }} />}
        <Row gutter={16}>
          <Col xs={24}>
            <Form.Item name="title" label={t('field.title')} rules={[{ ...required, whitespace: true }, { max: 200 }]}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            {editing ? (
              <Form.Item label={t('field.org')} htmlFor="class-org-name" extra={t('field.orgFixed')}>
                <Input id="class-org-name" value={existing.data?.orgName} disabled />
              </Form.Item>
            ) : (
              <Form.Item name="orgId" label={t('field.org')} rules={[required]}>
                <OrgSelect />
              </Form.Item>
            )}
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="planId" label={t('field.plan')}>
              <Select allowClear options={(plans.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.year} · ${p.title}` }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="theme" label={t('field.theme')}>
              <Input maxLength={500} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="dates" label={t('field.dates')} rules={[required]}>
              <DatePicker.RangePicker style={{ width: '100%' }} aria-label={t('field.dates')} onKeyDown={keepEnterInPicker} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="hostInstitution" label={t('field.hostInstitution')}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="venue" label={t('field.venue')}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="capacityOnsite" label={t('field.capacityOnsite')} rules={[required]}>
              <InputNumber min={0} max={100000} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="capacityLive" label={t('field.capacityLive')} rules={[required]}>
              <InputNumber min={0} max={1000000} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="audienceOrgIds" label={t('field.audienceOrgs')} extra={t('field.audienceOrgsHint')}>
              <AudienceSelect />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="audienceNote" label={t('field.audienceNote')}>
              <Input maxLength={500} />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start">{t('section.rules')}</Divider>
        <Row gutter={16}>
          <Col xs={12} md={6}>
            <Form.Item name="classHours" label={t('field.classHours')}>
              <InputNumber min={0} max={10000} step={0.5} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="minAttendancePercent" label={t('field.minAttendanceShare')} rules={[required]}>
              <InputNumber min={0} max={100} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="minOnlineMinutes" label={t('field.minOnlineMinutes')} rules={[required]}>
              <InputNumber min={0} max={100000} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="minAssessmentScore" label={t('field.minAssessmentScore')}>
              <InputNumber min={0} max={100} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="livePresencePercent" label={t('field.livePresenceShare')} rules={[required]}>
              <InputNumber min={0} max={100} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="competencyModel" valuePropName="checked" label=" ">
              <Checkbox>{t('field.competencyModel')}</Checkbox>
            </Form.Item>
          </Col>
        </Row>
        <Space>
          <Button type="primary" htmlType="submit" loading={saving}>{tc('action.save')}</Button>
          <Button onClick={() => void navigate(-1)}>{tc('action.cancel')}</Button>
        </Space>
      </Form>
    </Card>
  );
}
