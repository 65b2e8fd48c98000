import { useState } from 'react';
import { App, Button } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { problemText } from '../../../shared/i18n/server-messages.ts';
import { download } from '../api.ts';

/** Downloads one of the class's lists (.xlsx) with the session cookie; a refusal shows as a message. */
export function DownloadButton({ path, fileName, label }: { path: string; fileName: string; label: string }) {
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
  return <Button icon={<DownloadOutlined />} loading={busy} onClick={() => void run()}>{label}</Button>;
}
