import { useState } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import type { Me } from '@workers-home/contract';
import { ApiError } from '../../../shared/api/client.ts';
import { useT } from '../../../shared/i18n/locale.tsx';
import { problemText } from '../../../shared/i18n/server-messages.ts';
import { useLogin } from '../api.ts';

interface Values {
  username: string;
  password: string;
}

/** Username and password; used by the console's sign-in page and the member app's. */
export function LoginForm({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const t = useT();
  const login = useLogin();
  const [failure, setFailure] = useState<string | null>(null);

  const submit = (values: Values) => {
    setFailure(null);
    login.mutate(values, {
      onSuccess: onSignedIn,
      onError: (error) => setFailure(error instanceof ApiError && error.status === 401 ? t('login.wrongCredentials') : problemText(error, t)),
    });
  };

  return (
    <Form<Values> layout="vertical" onFinish={submit} requiredMark={false} size="large" aria-label={t('login.title')}>
      <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.usernameRequired') }]}>
        <Input prefix={<UserOutlined aria-hidden />} autoComplete="username" autoFocus />
      </Form.Item>
      <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
        <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="current-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={login.isPending}>
        {t('login.submit')}
      </Button>
      {/* Below everything else, so it appears without moving anything the user is looking at. */}
      {failure && <Alert type="error" showIcon title={failure} role="alert" style={{ marginTop: 16 }} />}
    </Form>
  );
}
