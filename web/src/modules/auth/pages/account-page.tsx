import { useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, Row, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { Password, type Grant, type Role } from '@workers-home/contract';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { showServerErrors } from '../../../shared/i18n/server-messages.ts';
import { schemaRule } from '../../../shared/ui/form-rules.ts';
import { QueryView } from '../../../shared/ui/states.tsx';
import { useChangePassword, useMe } from '../api.ts';
import { roleLabel } from '../components/role-labels.ts';

interface PasswordValues {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** My account: who I am, the roles I hold where, and a password change. */
export default function AccountPage() {
  const { t, formatDateTime } = useLocale();
  const { message } = App.useApp();
  const me = useMe();
  const change = useChangePassword();
  const [form] = Form.useForm<PasswordValues>();
  const [otherErrors, setOtherErrors] = useState<string[]>([]);

  const submit = ({ currentPassword, newPassword }: PasswordValues) => {
    setOtherErrors([]);
    change.mutate({ currentPassword, newPassword }, {
      onSuccess: () => { form.resetFields(); void message.success(t('account.passwordChanged')); },
      onError: (error) => setOtherErrors(showServerErrors(form, error, t, ['currentPassword', 'newPassword'])),
    });
  };

  return (
    <QueryView query={me} rows={8}>
      {(data) => data && (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={14}>
            <Card title={<Typography.Title level={1} style={{ fontSize: 16, margin: 0 }}>{t('nav.account')}</Typography.Title>}>
              <Descriptions column={1} size="small" items={[
                { key: 'u', label: t('login.username'), children: data.account.username },
                { key: 'n', label: t('grants.displayName'), children: data.account.displayName },
                { key: 'l', label: t('account.lastLogin'), children: formatDateTime(data.account.lastLoginAt) },
              ]} />
              <Typography.Title level={2} style={{ fontSize: 15 }}>{t('account.roles')}</Typography.Title>
              <Table<Grant>
                rowKey="id" size="small" pagination={false} dataSource={data.grants}
                locale={{ emptyText: t('grants.none') }}
                columns={[
                  { title: t('grants.role'), dataIndex: 'role', render: (role: Role) => t(roleLabel(role)) },
                  { title: t('grants.org'), dataIndex: 'orgName', render: (name: string, g) => <Link to={`/orgs/${g.orgId}`}>{name}</Link> },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} lg={10}>
            <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('account.changePassword')}</Typography.Title>}>
              <Form<PasswordValues> form={form} layout="vertical" onFinish={submit}>
                {otherErrors.length > 0 && <Alert type="error" showIcon title={otherErrors.join('; ')} style={{ marginBottom: 16 }} />}
                <input type="text" name="username" autoComplete="username" value={data.account.username} readOnly hidden />
                <Form.Item name="currentPassword" label={t('account.currentPassword')} rules={[{ required: true, message: t('form.required') }]}>
                  <Input.Password autoComplete="current-password" />
                </Form.Item>
                <Form.Item name="newPassword" label={t('account.newPassword')} required rules={[schemaRule(Password, t)]}>
                  <Input.Password autoComplete="new-password" />
                </Form.Item>
                <Form.Item
                  name="confirm" label={t('account.confirmPassword')} dependencies={['newPassword']}
                  rules={[({ getFieldValue }) => ({
                    validator: (_rule, value) => (value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('account.passwordsDiffer')))),
                  })]}
                >
                  <Input.Password autoComplete="new-password" />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={change.isPending}>{t('account.changePassword')}</Button>
              </Form>
            </Card>
          </Col>
        </Row>
      )}
    </QueryView>
  );
}
