import { useState } from 'react';
import { Alert, App, Button, Card, Col, Flex, Form, Input, InputNumber, List, Modal, Popconfirm, Row, Select, Space, Tag, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { problemText, showServerErrors } from '../../../shared/i18n/server-messages.ts';
import { EmptyBlock, ErrorBlock, QueryView } from '../../../shared/ui/states.tsx';
import { courseQuery, coursesQuery, useTrainingMutations, type MaterialValues } from '../api.ts';
import { useTrainingT } from '../i18n/use-training-t.ts';
import type { Course, Material, TrainingClassDetail } from '../types.ts';

const MATERIAL_FIELDS = ['kind', 'title', 'url', 'body', 'requiredMinutes', 'position'];

function MaterialModal({ classId, courseId, material, open, onClose }: { classId: number; courseId: number; material: Material | null; open: boolean; onClose: () => void }) {
  const { t: tc } = useLocale();
  const t = useTrainingT();
  const [form] = Form.useForm<MaterialValues>();
  const { addMaterial, updateMaterial } = useTrainingMutations(classId);
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const required = { required: true, message: tc('form.required') };
  const submit = (values: MaterialValues) => {
    setOtherErrors([]);
    const input = { ...values, title: values.title.trim(), url: values.url?.trim() || null, body: values.body?.trim() || null };
    const options = { onSuccess: onClose, onError: (error: unknown) => setOtherErrors(showServerErrors(form, error, tc, MATERIAL_FIELDS)) };
    if (material) updateMaterial.mutate({ id: material.id, courseId, ...input }, options);
    else addMaterial.mutate({ courseId, ...input }, options);
  };
  return (
    <Modal open={open} title={material ? t('course.editMaterial') : t('course.addMaterial')} onCancel={onClose} onOk={() => form.submit()} okText={tc('action.save')}
      confirmLoading={addMaterial.isPending || updateMaterial.isPending} destroyOnHidden>
      <Form<MaterialValues> form={form} layout="vertical" onFinish={submit} preserve={false}
        initialValues={material ? { ...material, url: material.url ?? '', body: material.body ?? '' } : { kind: 'video', requiredMinutes: 30 }}>
        {otherErrors.length > 0 && <Alert type="error" showIcon title={otherErrors.join('; ')} style={{ marginBottom: 16 }} />}
        <Row gutter={12}>
          <Col span={10}>
            <Form.Item name="kind" label={t('session.kind')} rules={[required]}>
              <Select options={(['video', 'document', 'page'] as const).map((k) => ({ value: k, label: t(`course.kind.${k}`) }))} />
            </Form.Item>
          </Col>
          <Col span={14}>
            <Form.Item name="requiredMinutes" label={t('course.requiredMinutes')} rules={[required]}>
              <InputNumber min={1} max={1440} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="title" label={t('course.title')} rules={[{ ...required, whitespace: true }]}><Input maxLength={300} /></Form.Item>
        <Form.Item name="url" label={t('course.url')} dependencies={['body']} rules={[{ type: 'url', message: t('session.urlInvalid') }, ({ getFieldValue }) => ({
          validator: (_r, value: string | undefined) => (!value?.trim() && !String(getFieldValue('body') ?? '').trim() ? Promise.reject(new Error(t('course.urlOrBody'))) : Promise.resolve()),
        })]}>
          <Input maxLength={1000} placeholder="https://" />
        </Form.Item>
        <Form.Item name="body" label={t('course.body')}><Input.TextArea rows={4} /></Form.Item>
      </Form>
    </Modal>
  );
}

function CourseCard({ detail, course, canOrganize }: { detail: TrainingClassDetail; course: Course; canOrganize: boolean }) {
  const { t: tc } = useLocale();
  const t = useTrainingT();
  const { message } = App.useApp();
  const { deleteMaterial } = useTrainingMutations(detail.id);
  const [editing, setEditing] = useState<Material | null>(null);
  const [open, setOpen] = useState(false);
  const full = useQuery(courseQuery(course.id));
  const materials = [...(full.data?.materials ?? [])].sort((a, b) => a.position - b.position);
  const minutes = full.data?.requiredMinutes ?? course.requiredMinutes;
  return (
    <Card
      size="small"
      title={<span>{course.title} <Typography.Text type="secondary" style={{ fontWeight: 400 }}>{t('course.totalMinutes', { minutes: minutes })}</Typography.Text></span>}
      extra={canOrganize && <Button size="small" icon={<PlusOutlined />} onClick={() => { setEditing(null); setOpen(true); }}>{t('course.addMaterial')}</Button>}
      style={{ marginBottom: 12 }}
    >
      {course.description && <Typography.Paragraph type="secondary">{course.description}</Typography.Paragraph>}
      <List
        size="small"
        dataSource={materials}
        loading={full.isPending}
        locale={{ emptyText: full.error ? <ErrorBlock error={full.error} onRetry={() => void full.refetch()} /> : t('course.noMaterials') }}
        renderItem={(m) => (
          <List.Item actions={canOrganize ? [
            <Button key="edit" type="text" size="small" icon={<EditOutlined />} aria-label={`${tc('action.edit')} ${m.title}`} onClick={() => { setEditing(m); setOpen(true); }} />,
            <Popconfirm key="delete" title={t('course.deleteMaterialConfirm')} onConfirm={() => deleteMaterial.mutate({ id: m.id, courseId: course.id }, { onError: (error) => void message.error(problemText(error, tc)) })}>
              <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={`${t('session.delete')} ${m.title}`} />
            </Popconfirm>,
          ] : []}>
            <Space>
              <Tag>{t(`course.kind.${m.kind as 'video'}`)}</Tag>
              {m.url ? <a href={m.url} target="_blank" rel="noreferrer noopener">{m.title}</a> : m.title}
              <Typography.Text type="secondary">{t('course.requiredMinutes')} {m.requiredMinutes}</Typography.Text>
            </Space>
          </List.Item>
        )}
      />
      {canOrganize && <MaterialModal classId={detail.id} courseId={course.id} material={editing} open={open} onClose={() => setOpen(false)} />}
    </Card>
  );
}

/** The class's supporting online courses and their materials, each with the minutes it requires. */
export function CoursesTab({ detail, canOrganize }: { detail: TrainingClassDetail; canOrganize: boolean }) {
  const { t: tc } = useLocale();
  const t = useTrainingT();
  const courses = useQuery(coursesQuery(detail.id));
  const { createCourse } = useTrainingMutations(detail.id);
  const [form] = Form.useForm<{ title: string; description?: string }>();
  const [open, setOpen] = useState(false);
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  return (
    <div>
      {canOrganize && (
        <Flex justify="end" style={{ marginBottom: 12 }}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>{t('course.add')}</Button>
        </Flex>
      )}
      <QueryView query={courses} rows={6}>
        {(list) => (list.length ? list.map((c) => <CourseCard key={c.id} detail={detail} course={c} canOrganize={canOrganize} />) : <EmptyBlock description={t('course.none')} />)}
      </QueryView>
      <Modal open={open} title={t('course.add')} onCancel={() => setOpen(false)} onOk={() => form.submit()} okText={tc('action.save')} confirmLoading={createCourse.isPending} destroyOnHidden>
        <Form form={form} layout="vertical" preserve={false} onFinish={(values) => {
          setOtherErrors([]);
          createCourse.mutate({ classId: detail.id, title: values.title.trim(), description: values.description?.trim() || undefined }, {
            onSuccess: () => setOpen(false),
            onError: (error) => setOtherErrors(showServerErrors(form, error, tc, ['title', 'description'])),
          });
        }}>
          {otherErrors.length > 0 && <Alert type="error" showIcon title={otherErrors.join('; ')} style={{ marginBottom: 16 }} />}
          <Form.Item name="title" label={t('course.title')} rules={[{ required: true, whitespace: true, message: tc('form.required') }]}><Input maxLength={300} /></Form.Item>
          <Form.Item name="description" label={t('course.description')}><Input.TextArea rows={3} /></Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
