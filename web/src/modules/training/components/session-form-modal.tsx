import { useState } from 'react';
import { Alert, Button, Checkbox, Col, DatePicker, Form, Input, Modal, Row, Select } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { chinaClock, chinaDay, chinaInstant, chinaToday } from '../../../shared/i18n/china-time.ts';
import { useDayjsLocale } from '../../../shared/i18n/dayjs-locale.ts';
import { useT } from '../../../shared/i18n/locale.tsx';
import { renameErrorFields, showServerErrors } from '../../../shared/i18n/server-messages.ts';
import { useTrainingMutations, type SessionValues } from '../api.ts';
import { keepEnterInPicker } from './date-keys.ts';
import { useTrainingT } from '../i18n/use-training-t.ts';
import { SESSION_KINDS, type Speaker, type TrainingClassDetail, type TrainingSession } from '../types.ts';

interface FormValues {
  kind: string;
  topic: string;
  date: Dayjs;
  start: string;
  end: string;
  place?: string;
  streamUrl?: string;
  speakers: Speaker[];
}

const FIELDS = ['kind', 'topic', 'date', 'start', 'end', 'place', 'streamUrl', 'speakers'];
const RENAMES = { 'body.startsAt': 'body.start', 'body.endsAt': 'body.end' };
/** The day and times typed are China's, whatever the browser's zone: the timetable is kept in China time. */
const at = (date: Dayjs, time: string) => chinaInstant(date.format('YYYY-MM-DD'), time);

function initialValues(detail: TrainingClassDetail, session: TrainingSession | null): Partial<FormValues> {
  if (session) {
    return {
      kind: session.kind, topic: session.topic, date: dayjs(chinaDay(session.startsAt)), start: chinaClock(session.startsAt), end: chinaClock(session.endsAt),
      place: session.place ?? '', streamUrl: session.streamUrl ?? '', speakers: session.speakers.map((s) => ({ name: s.name, title: s.title ?? '', org: s.org ?? '', presiding: s.presiding ?? false })),
    };
  }
  const today = chinaToday();
  const date = today >= detail.startsOn && today <= detail.endsOn ? dayjs(today) : dayjs(detail.startsOn);
  return { kind: 'lecture', date, start: '09:00', end: '11:30', place: detail.venue ?? '', speakers: [] };
}

/** Adds a session to the timetable or edits one; the server's errors land on their fields. Mounted only while open. */
export function SessionFormModal({ detail, session, open, onClose }: { detail: TrainingClassDetail; session: TrainingSession | null; open: boolean; onClose: () => void }) {
  const tc = useT();
  const t = useTrainingT();
  useDayjsLocale();
  const [form] = Form.useForm<FormValues>();
  const { createSession, updateSession } = useTrainingMutations(detail.id);
  const [otherErrors, setOtherErrors] = useState<string[]>([]);


  const submit = (values: FormValues) => {
    setOtherErrors([]);
    const input: SessionValues = {
      kind: values.kind,
      topic: values.topic.trim(),
      startsAt: at(values.date, values.start),
      endsAt: at(values.date, values.end),
      place: values.place?.trim() || null,
      streamUrl: values.streamUrl?.trim() || null,
      speakers: (values.speakers ?? []).filter((s) => s.name?.trim()).map((s) => ({ name: s.name.trim(), title: s.title?.trim() || undefined, org: s.org?.trim() || undefined, ...(s.presiding ? { presiding: true } : {}) })),
    };
    const options = { onSuccess: onClose, onError: (error: unknown) => setOtherErrors(showServerErrors(form, renameErrorFields(error, RENAMES), tc, FIELDS)) };
    if (session) updateSession.mutate({ id: session.id, ...input }, options);
    else createSession.mutate(input, options);
  };

  const required = { required: true, message: tc('form.required') };
  return (
    <Modal
      open={open}
      width={720}
      title={session ? t('session.edit') : t('session.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={tc('action.save')}
      confirmLoading={createSession.isPending || updateSession.isPending}
    >
      <Form<FormValues> form={form} layout="vertical" onFinish={submit} initialValues={initialValues(detail, session)}>
        {otherErrors.length > 0 && <Alert type="error" showIcon title={otherErrors.join('; ')} style={{ marginBottom: 16 }} />}
        <Row gutter={12}>
          <Col xs={24} md={8}>
            <Form.Item name="kind" label={t('session.kind')} rules={[required]}>
              <Select options={SESSION_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item name="topic" label={t('session.topic')} rules={[{ ...required, whitespace: true }]}>
              <Input maxLength={300} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              name="date"
              label={t('session.date')}
              rules={[required, {
                validator: (_r, value: Dayjs | undefined) => {
                  if (!value) return Promise.resolve();
                  const day = value.format('YYYY-MM-DD');
                  return day < detail.startsOn || day > detail.endsOn ? Promise.reject(new Error(t('session.outsideClass'))) : Promise.resolve();
                },
              }]}
            >
              <DatePicker style={{ width: '100%' }} onKeyDown={keepEnterInPicker} />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="start" label={t('session.startsAt')} rules={[required]}>
              <Input type="time" />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item
              name="end"
              label={t('session.endsAt')}
              dependencies={['start']}
              rules={[required, ({ getFieldValue }) => ({
                validator: (_r, value: string | undefined) =>
                  value && getFieldValue('start') && value <= String(getFieldValue('start')) ? Promise.reject(new Error(t('session.endBeforeStart'))) : Promise.resolve(),
              })]}
            >
              <Input type="time" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="place"
              label={t('session.place')}
              dependencies={['streamUrl']}
              rules={[({ getFieldValue }) => ({
                validator: (_r, value: string | undefined) =>
                  !value?.trim() && !String(getFieldValue('streamUrl') ?? '').trim() ? Promise.reject(new Error(t('session.placeOrStream'))) : Promise.resolve(),
              })]}
            >
              <Input maxLength={300} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="streamUrl" label={t('session.streamUrl')} rules={[{ type: 'url', message: t('session.urlInvalid') }]}>
              <Input maxLength={1000} placeholder="https://" inputMode="url" />
            </Form.Item>
          </Col>
        </Row>
        <Form.List name="speakers">
          {(fields, { add, remove }) => (
            <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
              <legend style={{ fontSize: 14, marginBottom: 8 }}>{t('session.speakers')}</legend>
              {fields.map((field) => (
                <Row gutter={8} key={field.key} align="top">
                  <Col span={7}>
                    <Form.Item name={[field.name, 'name']} rules={[{ ...required, whitespace: true }]}>
                      <Input placeholder={t('session.speakerName')} aria-label={t('session.speakerName')} />
                    </Form.Item>
                  </Col>
                  <Col span={5}>
                    <Form.Item name={[field.name, 'title']}>
                      <Input placeholder={t('session.speakerTitle')} aria-label={t('session.speakerTitle')} />
                    </Form.Item>
                  </Col>
                  <Col span={7}>
                    <Form.Item name={[field.name, 'org']}>
                      <Input placeholder={t('session.speakerOrg')} aria-label={t('session.speakerOrg')} />
                    </Form.Item>
                  </Col>
                  <Col span={3}>
                    <Form.Item name={[field.name, 'presiding']} valuePropName="checked">
                      <Checkbox>{t('session.presiding')}</Checkbox>
                    </Form.Item>
                  </Col>
                  <Col span={2}>
                    <Button type="text" icon={<MinusCircleOutlined />} aria-label={t('session.removeSpeaker')} onClick={() => remove(field.name)} />
                  </Col>
                </Row>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ name: '', title: '', org: '', presiding: false })}>{t('session.addSpeaker')}</Button>
            </fieldset>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
