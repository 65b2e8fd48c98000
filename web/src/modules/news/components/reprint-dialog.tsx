import { useState } from 'react';
import { Alert, Button, List, Modal, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { ReprintTarget } from '@workers-home/contract';
import { useT } from '../../../shared/i18n/locale.tsx';
import { problemText } from '../../../shared/i18n/server-messages.ts';
import { EmptyBlock, QueryView } from '../../../shared/ui/states.tsx';
import { reprintTargetsQuery, useProposeReprint } from '../api.ts';
import { useNewsT } from '../i18n/use-news-t.ts';

/**
 * Proposes a published article to a newsroom of an organization above its own (转载): the
 * newsrooms nearest first, each either proposed already or with its button.
 */
export function ReprintDialog({ articleId, onClose }: { articleId: number; onClose: () => void }) {
  const t = useNewsT();
  const tc = useT();
  const targets = useQuery(reprintTargetsQuery(articleId));
  const propose = useProposeReprint(articleId);
  const [done, setDone] = useState<ReprintTarget | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const send = async (target: ReprintTarget) => {
    setDone(null);
    setFailure(null);
    try {
      await propose.mutateAsync(target.orgId);
      setDone(target);
    } catch (error) {
      setFailure(problemText(error, tc));
    }
  };

  return (
    <Modal open title={t('reprint.title')} onCancel={onClose} footer={<Button onClick={onClose}>{t('reprint.close')}</Button>}>
      <Typography.Paragraph type="secondary">{t('reprint.hint')}</Typography.Paragraph>
      {done ? <Alert type="success" showIcon role="status" style={{ marginBottom: 12 }} title={t('reprint.done', { name: done.name })} /> : null}
      {failure ? <Alert type="error" showIcon role="alert" style={{ marginBottom: 12 }} title={failure} /> : null}
      <QueryView query={targets} rows={3}>
        {(list) => (list.length === 0 ? <EmptyBlock description={t('reprint.none')} /> : (
          <List<ReprintTarget>
            dataSource={list}
            renderItem={(target) => (
              <List.Item
                actions={[target.proposed
                  ? <Tag color="green" key="proposed">{t('reprint.proposed')}</Tag>
                  : <Button key="propose" type="primary" size="small" loading={propose.isPending && propose.variables === target.orgId}
                      disabled={propose.isPending} aria-label={t('reprint.proposeTo', { name: target.name })} onClick={() => void send(target)}>{t('reprint.send')}</Button>]}
              >
                <List.Item.Meta title={target.name} description={`/news/${target.slug}/`} />
              </List.Item>
            )}
          />
        ))}
      </QueryView>
    </Modal>
  );
}
