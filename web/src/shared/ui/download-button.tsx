import { useState } from 'react';
import { App, Button } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { download } from '../api/download.ts';
import { useT } from '../i18n/locale.tsx';
import { problemText } from '../i18n/server-messages.ts';

/** Downloads a file of the API with the session cookie; a refusal shows as a message in the reader's language. */
export function DownloadButton({ path, fileName, label, size }: { path: string; fileName: string; label: string; size?: 'small' | 'middle' }) {
  const t = useT();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      await download(path, fileName);
    } catch (error) {
      void message.error(problemText(error, t));
    } finally {
      setBusy(false);
    }
  };
  return <Button size={size} icon={<DownloadOutlined />} loading={busy} onClick={() => void run()}>{label}</Button>;
}
