import { useState } from 'react';
import { Alert, App, Button, Card, Col, Flex, Form, Input, Modal, Popconfirm, Row, Segmented, Select, Table, Tag, Typography } from 'antd';
import { PlusOutlined, UserAddOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { AccountCreate, PasswordReset, ROLES, type Account, type Grant, type Role } from '@workers-home/contract';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { problemText, renameErrorFields, showServerErrors } from '../../../shared/i18n/server-messages.ts';
import { schemaRule } from '../../../shared/ui/form-rules.ts';
import { ErrorBlock } from '../../../shared/ui/states.tsx';
import { OrgSelect } from '../../orgs/index.ts';
import { accountListQuery, grantsQuery, useGrantMutations, useMe } from '../api.ts';
import { AccountSelect } from '../components/account-select.tsx';
import { roleLabel } from '../components/role-labels.ts';

interface GrantValues {
  accountId: number;
  role: Role;
  orgId: number;
}
interface AccountValues {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  orgId: number;
}

function GrantModal({ onClose }: { onClose: () => void }) {
  const { t } = useLocale();
  const [form] = Form.useForm<GrantValues>();
  const { create } = useGrantMutations();
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  return (
    <Modal open title={t('grants.grantTitle')} okText={t('grants.grant')} cancelText={t('action.cancel')} onOk={() => form.submit()} onCancel={onClose} confirmLoading={create.isPending} destroyOnHidden>
      <Form<GrantValues> form={form} layout="vertical" onFinish={(values) => create.mutate(values, { onSuccess: onClose, onError: (e) => setOtherErrors(showServerErrors(form, e, t, ['accountId', 'role', 'orgId'])) })}>
        {otherErrors.length > 0 && <Alert type="error" showIcon title={otherErrors.join('; ')} style={{ marginBottom: 16 }} />}
        <Form.Item name="accountId" label={t('grants.account')} rules={[{ required: true, message: t('form.required') }]}><AccountSelect /></Form.Item>
        <Form.Item name="role" label={t('grants.role')} rules={[{ required: true, message: t('form.required') }]}>
          <Select options={ROLES.map((role) => ({ value: role, label: t(roleLabel(role)) }))} />
        </Form.Item>
        <Form.Item name="orgId" label={t('grants.org')} extra={t('grants.reachesSubtree')} rules={[{ required: true, message: t('form.required') }]}><OrgSelect /></Form.Item>
      </Form>
    </Modal>
  );
}

function AccountModal({ onClose }: { onClose: () => void }) {
  const { t } = useLocale();
  const [form] = Form.useForm<AccountValues>();
  const { createAccount } = useGrantMutations();
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const submit = ({ role, orgId, ...rest }: AccountValues) =>
    createAccount.mutate({ ...rest, grant: { role, orgId } }, {
      onSuccess: onClose,
      onError: (error) => setOtherErrors(showServerErrors(form, renameErrorFields(error, { 'body.grant.role': 'body.role', 'body.grant.orgId': 'body.orgId' }), t, ['username', 'displayName', 'password', 'role', 'orgId'])),
    });
  const shape = AccountCreate.shape;
  return (
    <Modal open title={t('grants.newAccount')} okText={t('action.save')} cancelText={t('action.cancel')} onOk={() => form.submit()} onCancel={onClose} confirmLoading={createAccount.isPending} destroyOnHidden>
      <Form<AccountValues> form={form} layout="vertical" onFinish={submit} autoComplete="off">
        {otherErrors.length > 0 && <Alert type="error" showIcon title={otherErrors.join('; ')} style={{ marginBottom: 16 }} />}
        <Form.Item name="username" label={t('login.username')} required rules={[schemaRule(shape.username, t)]}><Input autoComplete="off" /></Form.Item>
        <Form.Item name="displayName" label={t('grants.displayName')} required rules={[schemaRule(shape.displayName, t)]}><Input /></Form.Item>
        <Form.Item name="password" label={t('grants.initialPassword')} required rules={[schemaRule(shape.password, t)]}><Input.Password autoComplete="new-password" /></Form.Item>
        <Row gutter={12}>
          <Col span={10}>
            <Form.Item name="role" label={t('grants.role')} rules={[{ required: true, message: t('form.required') }]}>
              <Select options={ROLES.map((role) => ({ value: role, label: t(roleLabel(role)) }))} />
            </Form.Item>
          </Col>
          <Col span={14}>
            <Form.Item name="orgId" label={t('grants.org')} rules={[{ required: true, message: t('form.required') }]}><OrgSelect /></Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

function ResetPasswordModal({ account, onClose }: { account: Account; onClose: () => void }) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ newPassword: string }>();
  const { resetPassword } = useGrantMutations();
  return (
    <Modal open title={t('accounts.resetTitle', { user: account.username })} okText={t('action.save')} cancelText={t('action.cancel')}
      onOk={() => form.submit()} onCancel={onClose} confirmLoading={resetPassword.isPending} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('accounts.resetHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" autoComplete="off"
        onFinish={({ newPassword }) => resetPassword.mutate({ id: account.id, newPassword }, {
          onSuccess: () => { void message.success(t('accounts.resetDone', { user: account.username })); onClose(); },
          onError: (error) => showServerErrors(form, error, t, ['newPassword']),
        })}>
        <Form.Item name="newPassword" label={t('accounts.newPassword')} required rules={[schemaRule(PasswordReset.shape.newPassword, t)]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Accounts homed in the admin's subtrees: who they are, where they belong, switched on or off. */
function AccountsTable() {
  const { t, formatDateTime } = useLocale();
  const { message } = App.useApp();
  const me = useMe();
  const [page, setPage] = useState(1);
  const [q, setQ] = useState<string | undefined>();
  const accounts = useQuery(accountListQuery({ q, page }));
  const { setStatus } = useGrantMutations();
  const [resetting, setResetting] = useState<Account | null>(null);
  return (
    <>
      <div style={{ marginBottom: 16 }}>
        <Input.Search allowClear aria-label={t('accounts.search')} placeholder={t('accounts.search')} style={{ maxWidth: 320 }}
          onSearch={(value) => { setQ(value.trim() || undefined); setPage(1); }} enterButton={t('action.search')} />
      </div>
      {accounts.error ? (
        <ErrorBlock error={accounts.error} onRetry={() => void accounts.refetch()} minHeight={400} />
      ) : (
        <Table<Account>
          rowKey="id"
          size="middle"
          loading={accounts.isFetching}
          dataSource={accounts.data?.items ?? []}
          locale={{ emptyText: accounts.isPending ? ' ' : t('accounts.none') }}
          pagination={{ current: page, pageSize: 20, total: accounts.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
          scroll={{ x: 760 }}
          columns={[
            { title: t('login.username'), dataIndex: 'username' },
            { title: t('grants.displayName'), dataIndex: 'displayName' },
            { title: t('accounts.home'), dataIndex: 'homeOrgName', render: (name: string | null, a) => (a.homeOrgId === null ? '—' : <Link to={`/orgs/${a.homeOrgId}`}>{name}</Link>) },
            { title: t('accounts.status'), dataIndex: 'status', render: (s: Account['status']) => <Tag color={s === 'active' ? 'green' : 'default'}>{t(s === 'active' ? 'accounts.active' : 'accounts.disabled')}</Tag> },
            { title: t('accounts.lastLogin'), dataIndex: 'lastLoginAt', render: (at: string | null) => formatDateTime(at) },
            {
              title: t('grants.actions'), key: 'actions', width: 200,
              render: (_: unknown, a) => a.id === me.data?.account.id ? null : (
                <Flex gap={8} wrap>
                <Button size="small" onClick={() => setResetting(a)}>{t('accounts.reset')}</Button>
                <Popconfirm
                  title={t(a.status === 'active' ? 'accounts.disableConfirm' : 'accounts.enableConfirm', { user: a.username })}
                  okText={t(a.status === 'active' ? 'accounts.disable' : 'accounts.enable')}
                  cancelText={t('action.cancel')}
                  onConfirm={() => setStatus.mutate({ id: a.id, status: a.status === 'active' ? 'disabled' : 'active' }, { onError: (error) => void message.error(problemText(error, t)) })}
                >
                  <Button size="small" danger={a.status === 'active'}>{t(a.status === 'active' ? 'accounts.disable' : 'accounts.enable')}</Button>
                </Popconfirm>
                </Flex>
              ),
            },
          ]}
        />
      )}
      {resetting && <ResetPasswordModal account={resetting} onClose={() => setResetting(null)} />}
    </>
  );
}

/** Role grants in the admin's subtrees: who holds which role where; grant and revoke. And the accounts homed there. */
export default function GrantsPage() {
  const { t, formatDateTime } = useLocale();
  const { message } = App.useApp();
  const me = useMe();
  const [page, setPage] = useState(1);
  const [orgId, setOrgId] = useState<number | undefined>();
  // The account may come in the address (the audit log links an account's entries here).
  const [search, setSearch] = useSearchParams();
  const accountId = Number(search.get('accountId')) || undefined;
  const setAccountId = (id: number | undefined) => { setSearch(id ? { accountId: String(id) } : {}, { replace: true }); setPage(1); };
  const grants = useQuery(grantsQuery({ page, pageSize: 20, orgId, accountId }));
  // Sorted by account (display name): an account's grants stand together.
  const items = grants.data?.items ?? [];
  const { revoke } = useGrantMutations();
  const [modal, setModal] = useState<'grant' | 'account' | null>(null);
  const [view, setView] = useState<'grants' | 'accounts'>('grants');

  return (
    <Card>
      <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 16 }}>
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>{t('grants.title')}</Typography.Title>
        <Flex gap={8} wrap>
          <AccountSelect aria-label={t('grants.filterAccount')} placeholder={t('grants.filterAccount')} allowClear style={{ width: 220 }} value={accountId} onChange={setAccountId} />
          <OrgSelect aria-label={t('grants.filterOrg')} placeholder={t('grants.filterOrg')} value={orgId} onChange={(id) => { setOrgId(id); setPage(1); }} />
          <Button icon={<UserAddOutlined />} onClick={() => setModal('account')}>{t('grants.newAccount')}</Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setModal('grant')}>{t('grants.grantTitle')}</Button>
        </Flex>
      </Flex>
      <Segmented<'grants' | 'accounts'> style={{ marginBottom: 16, display: 'flex', width: 'fit-content' }} value={view} onChange={setView}
        options={[{ value: 'grants', label: t('grants.title') }, { value: 'accounts', label: t('accounts.title') }]} />
      {view === 'accounts' ? <AccountsTable /> : grants.error ? (
        <ErrorBlock error={grants.error} onRetry={() => void grants.refetch()} minHeight={400} />
      ) : (
        <Table<Grant>
          rowKey="id"
          size="middle"
          loading={grants.isFetching}
          dataSource={items}
          locale={{ emptyText: grants.isPending ? ' ' : t('grants.none') }}
          pagination={{ current: page, pageSize: 20, total: grants.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
          scroll={{ x: 720 }}
          columns={[
            {
              title: t('grants.account'), dataIndex: 'displayName',
              render: (name: string, g) => <><div>{name}</div><Typography.Text type="secondary">{g.username}</Typography.Text></>,
            },
            { title: t('grants.role'), dataIndex: 'role', render: (role: Role) => t(roleLabel(role)) },
            { title: t('grants.org'), dataIndex: 'orgName', render: (name: string, g) => <Link to={`/orgs/${g.orgId}`}>{name}</Link> },
            { title: t('grants.grantedAt'), dataIndex: 'grantedAt', render: (at: string) => formatDateTime(at) },
            {
              title: t('grants.actions'), key: 'actions', width: 120,
              render: (_: unknown, g) => g.accountId === me.data?.account.id ? null : (
                <Popconfirm
                  title={t('grants.revokeConfirm', { role: t(roleLabel(g.role)), user: g.displayName, org: g.orgName })}
                  okText={t('grants.revoke')}
                  cancelText={t('action.cancel')}
                  onConfirm={() => revoke.mutate(g.id, { onError: (error) => void message.error(problemText(error, t)) })}
                >
                  <Button size="small" danger>{t('grants.revoke')}</Button>
                </Popconfirm>
              ),
            },
          ]}
        />
      )}
      {modal === 'grant' && <GrantModal onClose={() => setModal(null)} />}
      {modal === 'account' && <AccountModal onClose={() => setModal(null)} />}
    </Card>
  );
}
