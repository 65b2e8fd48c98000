import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Progress, Tag, Typography } from 'antd';
import { CameraOutlined, DeleteOutlined, FilePdfOutlined } from '@ant-design/icons';
import { CLAIM_DOCUMENT_MAX_BYTES, type ClaimDocument, type ClaimDocumentKind } from '@workers-home/contract';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { problemText } from '../../../shared/i18n/server-messages.ts';
import { uploadDocument } from '../api.ts';
import { useServicesT } from '../i18n/use-services-t.ts';
import { documentKind, documentKinds } from './labels.tsx';
import './services.css';

export interface UploadItem {
  key: string;
  kind: ClaimDocumentKind;
  fileName: string;
  /** A local preview of a photo (an object URL), none for a PDF. */
  preview: string | null;
  share: number;
  state: 'uploading' | 'done' | 'failed';
  document?: ClaimDocument;
  error?: string;
}

let counter = 0;

/** The documents of a claim form: each uploaded as soon as it is picked, with its progress; removable. */
export function useDocumentUploads() {
  const [items, setItems] = useState<UploadItem[]>([]);
  const { t: tc } = useLocale();
  const t = useServicesT();
  const controllers = useRef(new Map<string, AbortController>());
  const change = (key: string, patch: Partial<UploadItem>) => setItems((all) => all.map((item) => (item.key === key ? { ...item, ...patch } : item)));

  useEffect(() => () => {
    for (const controller of controllers.current.values()) controller.abort();
  }, []);

  const add = (kind: ClaimDocumentKind, files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      const key = `upload-${++counter}`;
      const preview = file.type.startsWith('image/') ? URL.createObjectURL(file) : null;
      if (file.size > CLAIM_DOCUMENT_MAX_BYTES) {
        setItems((all) => [...all, { key, kind, fileName: file.name, preview, share: 0, state: 'failed', error: t('doc.tooLarge') }]);
        continue;
      }
      setItems((all) => [...all, { key, kind, fileName: file.name, preview, share: 0, state: 'uploading' }]);
      const controller = new AbortController();
      controllers.current.set(key, controller);
      uploadDocument(kind, file, (share) => change(key, { share }), controller.signal)
        .then((document) => change(key, { state: 'done', share: 1, document }))
        .catch((error: unknown) => {
          if (error instanceof DOMException && error.name === 'AbortError') return;
          change(key, { state: 'failed', error: problemText(error, tc) });
        })
        .finally(() => controllers.current.delete(key));
    }
  };

  const remove = (key: string) => {
    controllers.current.get(key)?.abort();
    setItems((all) => {
      const gone = all.find((item) => item.key === key);
      if (gone?.preview) URL.revokeObjectURL(gone.preview);
      return all.filter((item) => item.key !== key);
    });
  };

  const documents = items.flatMap((item) => (item.state === 'done' && item.document ? [{ id: item.document.id, kind: item.kind }] : []));
  const uploading = items.some((item) => item.state === 'uploading');
  return { items, add, remove, documents, uploading };
}

export type DocumentUploads = ReturnType<typeof useDocumentUploads>;

/** The kinds still missing among the required ones (those with no uploaded document yet). */
export const missingKinds = (required: readonly ClaimDocumentKind[], uploads: DocumentUploads) =>
  required.filter((kind) => !uploads.documents.some((d) => d.kind === kind));

/** One block per kind: its documents (with progress), and a button that opens the camera or the files. */
export function DocumentUploader({ uploads, kinds, required, error }: {
  uploads: DocumentUploads;
  kinds: readonly ClaimDocumentKind[];
  required: readonly ClaimDocumentKind[];
  error?: string | undefined;
}) {
  const t = useServicesT();
  const { locale } = useLocale();
  const missing = missingKinds(required, uploads);
  return (
    <div>
      <Typography.Paragraph type="secondary" style={{ fontSize: 13, marginBottom: 8 }}>{t('doc.hint')}</Typography.Paragraph>
      {kinds.map((kind) => <KindBlock key={kind} kind={kind} uploads={uploads} required={required.includes(kind)} />)}
      {error ? <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 8 }} /> : null}
      {required.length ? (
        <Alert
          data-testid="documents-missing"
          type={missing.length ? 'warning' : 'success'}
          showIcon
          title={missing.length ? t('doc.missing', { kinds: documentKinds(t, missing, locale) }) : t('doc.allThere')}
        />
      ) : null}
    </div>
  );
}

function KindBlock({ kind, uploads, required }: { kind: ClaimDocumentKind; uploads: DocumentUploads; required: boolean }) {
  const t = useServicesT();
  const input = useRef<HTMLInputElement>(null);
  const mine = uploads.items.filter((item) => item.kind === kind);
  const label = documentKind(t, kind);
  return (
    <section className="services-upload-kind" aria-label={label}>
      <div className="services-upload-kind-head">
        <Typography.Text strong>{label}{required ? <Tag color="red" style={{ marginInlineStart: 8 }}>{t('doc.required')}</Tag> : null}</Typography.Text>
      </div>
      {mine.map((item) => (
        <div key={item.key} className="services-upload-item" data-testid="upload-item">
          {item.preview ? <img src={item.preview} alt="" /> : <FilePdfOutlined style={{ fontSize: 32 }} aria-hidden />}
          <div className="services-upload-item-name">
            <div style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>{item.fileName}</div>
            {item.state === 'uploading' ? <Progress percent={Math.round(item.share * 100)} size="small" aria-label={t('doc.uploading', { percent: Math.round(item.share * 100) })} /> : null}
            {item.state === 'failed' ? <Typography.Text type="danger" style={{ fontSize: 13, whiteSpace: 'normal' }}>{t('doc.failed', { reason: item.error ?? '' })}</Typography.Text> : null}
          </div>
          <Button type="text" icon={<DeleteOutlined />} aria-label={`${t('doc.remove')} ${item.fileName}`} onClick={() => uploads.remove(item.key)} />
        </div>
      ))}
      <input
        ref={input}
        className="services-file-input"
        type="file"
        accept="image/*,application/pdf"
        capture="environment"
        aria-label={label}
        data-testid={`upload-${kind}`}
        tabIndex={-1}
        onChange={(event) => {
          uploads.add(kind, event.target.files);
          event.target.value = '';
        }}
      />
      <Button icon={<CameraOutlined />} onClick={() => input.current?.click()} block>
        {mine.length ? t('doc.addMore') : t('doc.add')}
      </Button>
    </section>
  );
}
