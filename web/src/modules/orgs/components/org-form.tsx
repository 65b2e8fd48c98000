import { useState } from 'react';
import { Alert, App, Form, Input, Modal, Select } from 'antd';
import { LEVEL_RANK, ORG_KINDS, ORG_LEVELS, OrgCreate, type Org, type OrgLevel } from '@workers-home/contract';
import { useT } from '../../../shared/i18n/locale.tsx';
import { showServerErrors } from '../../../shared/i18n/server-messages.ts';
import { schemaRule } from '../../../shared/ui/form-rules.ts';
import { useOrgMutations, type OrgCreateValues } from '../api.ts';
import { KIND_LABEL, LEVEL_LABEL } from './org-labels.ts';

const FIELDS = ['name', 'shortName', 'level', 'kind', 'regionCode', 'parentId'];

type Values = Omit<OrgCreateValues, 'parentId'>;

/** Creates an organization under `parent`, or edits `org`; server errors land on their fields. */
export function OrgFormModal({ open, onClose, parent, org }: { open: boolean; onClose: (saved?: Org) => void; parent?: Org; org?: Org }) {
  const t = useT();
  const { modal } = App.useApp();
  const [form] = Form.useForm<Values>();
  const { create, update } = useOrgMutations();
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const editing = org !== undefined;
  const levels = ORG_LEVELS.filter((level) => !parent || LEVEL_RANK[level] > LEVEL_RANK[parent.level]);
  // Most new organizations are grassroots unions (基层工会), most of them an enterprise's.
  const defaultLevel: OrgLevel = levels.includes('grassroots') ? 'grassroots' : (levels[0] as OrgLevel);
  const kindFor = (level: OrgLevel) => (level === 'grassroots' ? 'enterprise_union' : 'federation');

  const submit = (values: Values) => {
    setOtherErrors([]);
    const blankToUndefined = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);
    const onError = (error: unknown) => setOtherErrors(showServerErrors(form, error, t, FIELDS));
    if (editing) {
      update.mutate(
        { id: org.id, name: values.name, shortName: blankToUndefined(values.shortName) ?? null, kind: values.kind, regionCode: blankToUndefined(values.regionCode) ?? null },
        { onSuccess: (saved) => onClose(saved), onError },
      );
    } else if (parent) {
      // A new organization is hard to undo (it is closed, never deleted): say what will be created first.
      modal.confirm({
        title: t('orgs.createConfirm', { name: values.name.trim(), level: t(LEVEL_LABEL[values.level]), parent: parent.name }),
        okText: t('orgs.createConfirmOk'),
        cancelText: t('action.cancel'),
        onOk: () => new Promise<void>((resolve) => {
          create.mutate(
            { parentId: parent.id, name: values.name, level: values.level, kind: values.kind, shortName: blankToUndefined(values.shortName), regionCode: blankToUndefined(values.regionCode) },
            { onSuccess: (saved) => { resolve(); onClose(saved); }, onError: (error) => { resolve(); onError(error); } },
          );
        }),
      });
    }
  };

  return (
    <Modal
      open={open}
      title={editing ? t('orgs.editTitle', { name: org.name }) : t('orgs.createTitle', { parent: parent?.name ?? '' })}
      okText={t('action.save')}
      cancelText={t('action.cancel')}
      onCancel={() => onClose()}
      onOk={() => form.submit()}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
      forceRender
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        preserve={false}
        initialValues={org ? { name: org.name, shortName: org.shortName ?? '', level: org.level, kind: org.kind, regionCode: org.regionCode ?? '' } : { level: defaultLevel, kind: kindFor(defaultLevel) }}
        onValuesChange={(changed: Partial<Values>) => {
          if (!editing && changed.level) form.setFieldsValue({ kind: kindFor(changed.level) });
        }}
      >
        {otherErrors.length > 0 && <Alert type="error" showIcon title={otherErrors.join('; ')} style={{ marginBottom: 16 }} />}
        <Form.Item name="name" label={t('orgs.field.name')} required rules={[schemaRule(OrgCreate.shape.name, t)]}>
          <Input />
        </Form.Item>
        <Form.Item name="shortName" label={t('orgs.field.shortName')} rules={[schemaRule(OrgCreate.shape.shortName, t, { optional: true })]}>
          <Input />
        </Form.Item>
        <Form.Item name="level" label={t('orgs.field.level')} rules={[{ required: true, message: t('form.required') }]}>
          <Select disabled={editing} options={(editing ? ORG_LEVELS : levels).map((level) => ({ value: level, label: t(LEVEL_LABEL[level]) }))} />
        </Form.Item>
        <Form.Item name="kind" label={t('orgs.field.kind')} rules={[{ required: true, message: t('form.required') }]}>
          <Select options={ORG_KINDS.map((kind) => ({ value: kind, label: t(KIND_LABEL[kind]) }))} />
        </Form.Item>
        <Form.Item name="regionCode" label={t('orgs.field.regionCode')} rules={[schemaRule(OrgCreate.shape.regionCode, t, { optional: true })]}>
          <Input inputMode="numeric" maxLength={6} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
