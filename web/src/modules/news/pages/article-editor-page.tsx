import { useState } from 'react';
import { Alert, Button, Col, Flex, Form, Input, List, Modal, Row, Select, Space, Typography, message } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { MODULE_ACCESS } from '@workers-home/contract/access';
import type { Article } from '@workers-home/contract';
import { useT } from '../../../shared/i18n/locale.tsx';
import { problemText, showServerErrors } from '../../../shared/i18n/server-messages.ts';
import { Panel } from '../../../shared/ui/panel.tsx';
import { ErrorBlock, LoadingBlock } from '../../../shared/ui/states.tsx';
import { holdsAny, useMe } from '../../auth/index.ts';
import { OrgSelect } from '../../orgs/index.ts';
import { articleQuery, useArticleAction, useSaveArticle, versionsQuery, type ArticleActionInput, type ArticleInput } from '../api.ts';
import { CHANNELS, chinaTime, StatusTag } from '../components/labels.tsx';
import { ReprintDialog } from '../components/reprint-dialog.tsx';
import { RichTextEditor } from '../components/rich-text-editor.tsx';
import { VersionDiff } from '../components/version-diff.tsx';
import { useNewsT } from '../i18n/use-news-t.ts';

const FIELDS = ['orgId', 'introTitle', 'title', 'subtitle', 'source', 'reporters', 'correspondents', 'photographers', 'editorInCharge', 'channel', 'tags', 'summary', 'bodyHtml'];
type Values = Required<Pick<ArticleInput, 'title' | 'channel' | 'reporters' | 'correspondents' | 'photographers' | 'tags' | 'bodyHtml'>> & {
  orgId?: number; introTitle?: string; subtitle?: string; source?: string; editorInCharge?: string; summary?: string;
};
const EDITABLE_BY_EDITOR = ['draft', 'returned'];
const orNull = (text: string | undefined) => (text?.trim() ? text.trim() : null);

/** 2024-06-14T09:30 (typed as China time) → an instant with its zone. */
const fromChinaLocal = (local: string) => `${local}:00+08:00`;

/** Writes and edits an article: bylines, body with photos, and the workflow's steps; its versions below. */
export default function ArticleEditorPage() {
  const t = useNewsT();
  const tc = useT();
  const navigate = useNavigate();
  const { id: idParam } = useParams();
  const id = idParam ? Number(idParam) : null;
  const article = useQuery({ ...articleQuery(id ?? 0), enabled: id !== null });
  if (id !== null && article.error) return <Panel title={t('title')}><ErrorBlock error={article.error} onRetry={() => void article.refetch()} /></Panel>;
  if (id !== null && !article.data) return <Panel title={t('title')}><LoadingBlock rows={10} /></Panel>;
  return <Editor key={article.data?.version ?? 'new'} article={article.data ?? null} onCreated={(a) => void navigate(`/newsroom/articles/${a.id}`, { replace: true })} t={t} tc={tc} />;
}

function Editor({ article, onCreated, t, tc }: { article: Article | null; onCreated: (a: Article) => void; t: ReturnType<typeof useNewsT>; tc: ReturnType<typeof useT> }) {
  const [form] = Form.useForm<Values>();
  const me = useMe();
  const save = useSaveArticle(article?.id ?? null);
  const act = useArticleAction(article?.id ?? 0);
  const versions = useQuery({ ...versionsQuery(article?.id ?? 0), enabled: article !== null });
  const [errors, setErrors] = useState<string[]>([]);
  const [orgId, setOrgId] = useState<number | undefined>(article?.orgId);
  const [returning, setReturning] = useState(false);
  const [comment, setComment] = useState('');
  const [publishAt, setPublishAt] = useState('');
  const [compared, setCompared] = useState<number | null>(null);
  const [proposing, setProposing] = useState(false);
  const isChief = holdsAny(me.data, MODULE_ACCESS.news.publish);
  const status = article?.status ?? 'draft';
  const editable = article === null || EDITABLE_BY_EDITOR.includes(status) || (isChief && status !== 'withdrawn');

  // The editor is remounted for each version (its key), so the stored values are its initial ones.
  const initialValues: Values = article ? {
    title: article.title, channel: article.channel, reporters: article.reporters, correspondents: article.correspondents, photographers: article.photographers,
    tags: article.tags, bodyHtml: article.bodyHtml, introTitle: article.introTitle ?? '', subtitle: article.subtitle ?? '', source: article.source ?? '',
    editorInCharge: article.editorInCharge ?? '', summary: article.summary ?? '',
  } : { reporters: [], correspondents: [], photographers: [], tags: [], bodyHtml: '', channel: 'union-news', title: '' };

  const onSave = async (values: Values) => {
    setErrors([]);
    const input: ArticleInput = {
      introTitle: orNull(values.introTitle), title: values.title, subtitle: orNull(values.subtitle), source: orNull(values.source),
      reporters: values.reporters, correspondents: values.correspondents, photographers: values.photographers, editorInCharge: orNull(values.editorInCharge),
      channel: values.channel, tags: values.tags, summary: orNull(values.summary), bodyHtml: values.bodyHtml,
      ...(article === null ? { orgId: values.orgId } : {}),
    };
    try {
      const saved = await save.mutateAsync({ input, ...(article ? { version: article.version } : {}) });
      void message.success(t('saved'));
      if (article === null) onCreated(saved);
    } catch (error) {
      setErrors(showServerErrors(form, error, tc, FIELDS));
    }
  };

  const step = async (input: ArticleActionInput) => {
    if (!article) return;
    setErrors([]);
    try {
      await act.mutateAsync({ input, version: article.version });
      setReturning(false);
    } catch (error) {
      setErrors([problemText(error, tc)]);
    }
  };

  const names = (label: string, name: 'reporters' | 'correspondents' | 'photographers' | 'tags') => (
    <Col xs={24} md={12}>
      <Form.Item name={name} label={label} extra={name === 'tags' ? undefined : t('namesHint')}>
        <Select mode="tags" tokenSeparators={[',', '，', '、']} open={false} aria-label={label} suffixIcon={null} />
      </Form.Item>
    </Col>
  );

  return (
    <Panel
      title={article ? <Space wrap>{article.title}<StatusTag status={status} /></Space> : t('newArticle')}
      extra={article?.url ? <a href={article.url} target="_blank" rel="noreferrer">{t('view')}</a> : null}
    >
      {article?.reprintFrom ? <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('reprint.from', { org: article.reprintFrom })} /> : null}
      {article?.returnComment ? <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('returned', { comment: article.returnComment })} /> : null}
      {errors.map((e) => <Alert key={e} type="error" showIcon style={{ marginBottom: 12 }} title={e} role="alert" />)}
      <Form<Values> form={form} layout="vertical" disabled={!editable} onFinish={(v) => void onSave(v)}
        initialValues={initialValues}>
        <Row gutter={16}>
          {article === null ? (
            <Col xs={24} md={12}>
              <Form.Item name="orgId" label={t('field.org')} rules={[{ required: true, message: t('field.org') }]}>
                <OrgSelect aria-label={t('field.org')} onChange={(v) => { form.setFieldValue('orgId', v); setOrgId(v); }} />
              </Form.Item>
            </Col>
          ) : null}
          <Col xs={24} md={12}>
            <Form.Item name="channel" label={t('field.channel')} rules={[{ required: true }]}>
              <Select aria-label={t('field.channel')} options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24}><Form.Item name="introTitle" label={t('field.introTitle')}><Input maxLength={120} /></Form.Item></Col>
          <Col xs={24}><Form.Item name="title" label={t('field.title')} rules={[{ required: true, message: t('field.title') }]}><Input maxLength={120} /></Form.Item></Col>
          <Col xs={24}><Form.Item name="subtitle" label={t('field.subtitle')}><Input maxLength={120} /></Form.Item></Col>
          <Col xs={24} md={12}><Form.Item name="source" label={t('field.source')}><Input maxLength={60} /></Form.Item></Col>
          <Col xs={24} md={12}><Form.Item name="editorInCharge" label={t('field.editorInCharge')}><Input maxLength={40} /></Form.Item></Col>
          {names(t('field.reporters'), 'reporters')}
          {names(t('field.correspondents'), 'correspondents')}
          {names(t('field.photographers'), 'photographers')}
          {names(t('field.tags'), 'tags')}
          <Col xs={24}><Form.Item name="summary" label={t('field.summary')}><Input.TextArea maxLength={400} autoSize={{ minRows: 2 }} /></Form.Item></Col>
          <Col xs={24}>
            <Form.Item name="bodyHtml" label={t('field.body')}>
              <BodyField orgId={orgId} disabled={!editable} />
            </Form.Item>
          </Col>
        </Row>
        <Flex wrap gap={8}>
          <Button type="primary" htmlType="submit" loading={save.isPending}>{t('save')}</Button>
        </Flex>
      </Form>
      {article ? (
        <Flex wrap gap={8} style={{ marginTop: 12 }}>
          {EDITABLE_BY_EDITOR.includes(status) ? <Button onClick={() => void step({ action: 'submit' })} loading={act.isPending}>{t('submit')}</Button> : null}
          {isChief && ['draft', 'submitted', 'returned'].includes(status) ? (
            <Space.Compact>
              <Input type="datetime-local" aria-label={t('field.publishAt')} title={t('field.publishAt')} value={publishAt} onChange={(e) => setPublishAt(e.target.value)} style={{ width: 200 }} />
              <Button type="primary" danger onClick={() => void step({ action: 'publish', ...(publishAt ? { at: fromChinaLocal(publishAt) } : {}) })} loading={act.isPending}>{t('publish')}</Button>
            </Space.Compact>
          ) : null}
          {isChief && ['submitted', 'scheduled'].includes(status) ? <Button onClick={() => setReturning(true)}>{t('return')}</Button> : null}
          {status === 'published' ? <Button onClick={() => setProposing(true)}>{t('reprint.propose')}</Button> : null}
          {isChief && ['published', 'scheduled'].includes(status) ? <Button danger onClick={() => void step({ action: 'withdraw' })}>{t('withdraw')}</Button> : null}
        </Flex>
      ) : null}
      <Modal open={returning} title={t('return')} okText={t('return')} onOk={() => void step({ action: 'return', comment })} onCancel={() => setReturning(false)} okButtonProps={{ disabled: !comment.trim() }}>
        <Input.TextArea aria-label={t('field.comment')} placeholder={t('field.comment')} value={comment} onChange={(e) => setComment(e.target.value)} maxLength={1000} />
      </Modal>
      {article && proposing ? <ReprintDialog articleId={article.id} onClose={() => setProposing(false)} /> : null}
      {article && compared !== null && versions.data ? (
        <Modal open title={t('compareTitle', { from: compared, to: article.version })} footer={null} onCancel={() => setCompared(null)} width={720}>
          <VersionDiff older={versions.data.find((v) => v.version === compared)!} newer={versions.data[0]!} />
        </Modal>
      ) : null}
      {article ? (
        <>
          <Typography.Title level={5} style={{ marginTop: 24 }}>{t('versions')}</Typography.Title>
          <List
            size="small"
            loading={versions.isPending}
            dataSource={versions.data ?? []}
            renderItem={(v) => (
              <List.Item>
                <Space wrap>
                  <span>{t('version', { version: v.version })}</span>
                  <span>{t(`action.${v.action}` as 'action.create')}</span>
                  <StatusTag status={v.status} />
                  <span>{v.actor ?? '—'}</span>
                  <span>{chinaTime(v.at)}</span>
                  {v.comment ? <Typography.Text type="secondary">{v.comment}</Typography.Text> : null}
                  {v.version !== article.version ? <Button size="small" type="link" onClick={() => setCompared(v.version)}>{t('compare')}</Button> : null}
                </Space>
              </List.Item>
            )}
          />
        </>
      ) : null}
    </Panel>
  );
}

/** The body as a form field: the rich-text editor, reporting its stored HTML. */
function BodyField({ value, onChange, orgId, disabled }: { value?: string; onChange?: (html: string) => void; orgId: number | undefined; disabled: boolean }) {
  return <RichTextEditor value={value ?? ''} onChange={(html) => onChange?.(html)} orgId={orgId} disabled={disabled} />;
}
