import { Card, Typography } from 'antd';
import { useLocale } from '../shared/i18n/locale.tsx';
import { AntdProvider } from '../shared/ui/antd-provider.tsx';
import { LoginForm } from '../modules/auth/components/login-form.tsx';

/** Signed out: why to sign in, and the form (antd's, loaded only for someone signed out). */
export default function SignInCard() {
  const { t } = useLocale();
  return (
    <AntdProvider>
      <Card title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{t('login.title')}</Typography.Title>}>
        <Typography.Paragraph type="secondary">{t('memberApp.signInIntro')}</Typography.Paragraph>
        <LoginForm onSignedIn={() => undefined} />
      </Card>
    </AntdProvider>
  );
}
