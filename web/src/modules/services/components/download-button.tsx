import { useState } from 'react';
import { App, Button } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { problemText } from '../../../shared/i18n/server-messages.ts';
import { download } from '../api.ts';

/** Downloads a file of the API with the session cookie; a refusal shows as a message in the reader's language. */
export function DownloadButton({ path, fileName, label, size }: { path: string; fileName: string; label: string; size?: 'small' | 'middle' }) {
  const { t: tc } = useLocale();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      await download(path, fileName);
    } catch (error) {
      void message.error(problemText(error, tc));
    } finally {
      setBusy(false);
    }
  };
  return <Button size={size} icon={<DownloadOutlined />} loading={busy} onClick={() => void run()}>{label}</Button>;
}
