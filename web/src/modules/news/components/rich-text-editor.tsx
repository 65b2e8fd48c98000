import { useEffect, useRef, useState } from 'react';
import { Button, Flex, Input, Modal, Space, message } from 'antd';
import { BoldOutlined, ItalicOutlined, OrderedListOutlined, PictureOutlined } from '@ant-design/icons';
import { EditorContent, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import Image from '@tiptap/extension-image';
import { ApiError } from '../../../shared/api/client.ts';
import { uploadImage } from '../api.ts';
import { useNewsT } from '../i18n/use-news-t.ts';
import './rich-text-editor.css';

/**
 * A photo of the body: an image node carrying its caption and its photographer's credit. In
 * the editor it is <img data-caption data-credit>; stored (figureHtml) it is the figure the
 * union press prints, <figure><img><figcaption>caption <span class="credit">credit</span></figcaption></figure>.
 */
const Photo = Image.extend({
  addAttributes() {
    return {
      ...this.parent?.(),
      srcset: { default: null },
      caption: { default: '', parseHTML: (el) => el.getAttribute('data-caption') ?? '', renderHTML: (a: { caption?: string }) => (a.caption ? { 'data-caption': a.caption } : {}) },
      credit: { default: '', parseHTML: (el) => el.getAttribute('data-credit') ?? '', renderHTML: (a: { credit?: string }) => (a.credit ? { 'data-credit': a.credit } : {}) },
    };
  },
  parseHTML() {
    return [
      {
        tag: 'figure',
        getAttrs: (node) => {
          const img = node.querySelector('img');
          if (!img) return false;
          const credit = node.querySelector('figcaption .credit')?.textContent ?? '';
          const caption = (node.querySelector('figcaption')?.textContent ?? '').replace(credit, '').trim();
          return { src: img.getAttribute('src'), srcset: img.getAttribute('srcset'), alt: img.getAttribute('alt'), caption, credit };
        },
      },
      { tag: 'img[src]' },
    ];
  },
});

/** The editor's HTML with each captioned photo turned into a figure (what the server stores, after its own sanitizing). */
export function figureHtml(html: string): string {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  for (const img of [...doc.querySelectorAll('img')]) {
    const caption = img.getAttribute('data-caption') ?? '';
    const credit = img.getAttribute('data-credit') ?? '';
    img.removeAttribute('data-caption');
    img.removeAttribute('data-credit');
    if (!img.getAttribute('alt')) img.setAttribute('alt', caption);
    const figure = doc.createElement('figure');
    img.replaceWith(figure);
    figure.append(img);
    if (caption || credit) {
      const figcaption = doc.createElement('figcaption');
      figcaption.append(caption);
      if (credit) {
        const span = doc.createElement('span');
        span.className = 'credit';
        span.textContent = credit;
        figcaption.append(' ', span);
      }
      figure.append(figcaption);
    }
  }
  return doc.body.innerHTML;
}

export function RichTextEditor({ value, onChange, orgId, disabled }: { value: string; onChange: (html: string) => void; orgId: number | undefined; disabled?: boolean }) {
  const t = useNewsT();
  const fileInput = useRef<HTMLInputElement>(null);
  const [pending, setPending] = useState<{ src: string; srcset: string } | null>(null);
  const [caption, setCaption] = useState('');
  const [credit, setCredit] = useState('');
  const [uploading, setUploading] = useState(false);
  const editor = useEditor({
    extensions: [StarterKit.configure({ heading: { levels: [2, 3] }, code: false, codeBlock: false, link: { openOnClick: false } }), Photo],
    content: value,
    editable: !disabled,
    onUpdate: ({ editor: e }) => onChange(figureHtml(e.getHTML())),
    editorProps: { attributes: { 'aria-label': t('field.body'), role: 'textbox', 'aria-multiline': 'true', class: 'news-body-editor' } },
  });
  useEffect(() => { editor?.setEditable(!disabled); }, [editor, disabled]);

  const pick = async (file: File | undefined) => {
    if (!file || orgId === undefined) return;
    setUploading(true);
    try {
      const image = await uploadImage(orgId, file);
      setPending({ src: image.src, srcset: image.srcset });
      setCaption('');
      setCredit('');
    } catch (error) {
      void message.error(error instanceof ApiError ? error.message : String(error));
    } finally {
      setUploading(false);
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  const insert = () => {
    if (!editor || !pending) return;
    editor.chain().focus().insertContent({ type: 'image', attrs: { src: pending.src, srcset: pending.srcset, alt: caption, caption, credit } }).run();
    setPending(null);
  };

  return (
    <div className="news-editor" style={{ border: '1px solid #d9d9d9', borderRadius: 6 }}>
      <Flex wrap gap={4} style={{ padding: 6, borderBottom: '1px solid #f0f0f0' }}>
        <Button size="small" icon={<BoldOutlined />} aria-label={t('bold')} onClick={() => editor?.chain().focus().toggleBold().run()} disabled={disabled} />
        <Button size="small" icon={<ItalicOutlined />} aria-label={t('italic')} onClick={() => editor?.chain().focus().toggleItalic().run()} disabled={disabled} />
        <Button size="small" onClick={() => editor?.chain().focus().toggleHeading({ level: 3 }).run()} disabled={disabled}>{t('heading')}</Button>
        <Button size="small" onClick={() => editor?.chain().focus().toggleBlockquote().run()} disabled={disabled}>{t('quote')}</Button>
        <Button size="small" icon={<OrderedListOutlined />} aria-label={t('list')} onClick={() => editor?.chain().focus().toggleBulletList().run()} disabled={disabled} />
        <Button size="small" icon={<PictureOutlined />} loading={uploading} disabled={disabled || orgId === undefined} onClick={() => fileInput.current?.click()}>{t('uploadImage')}</Button>
        <input ref={fileInput} type="file" accept="image/jpeg,image/png,image/webp" style={{ display: 'none' }} aria-label={t('uploadImage')} data-testid="news-image-input" onChange={(e) => void pick(e.target.files?.[0])} />
      </Flex>
      <EditorContent editor={editor} style={{ padding: '4px 12px', minHeight: 240 }} />
      <Modal open={pending !== null} title={t('uploadImage')} onOk={insert} onCancel={() => setPending(null)} okText={t('uploadImage')} destroyOnHidden>
        {pending ? <img src={pending.src} alt="" style={{ maxWidth: '100%', marginBottom: 12 }} /> : null}
        <Space direction="vertical" style={{ width: '100%' }}>
          <Input placeholder={t('caption')} aria-label={t('caption')} value={caption} maxLength={200} onChange={(e) => setCaption(e.target.value)} />
          <Input placeholder={t('credit')} aria-label={t('credit')} value={credit} maxLength={60} onChange={(e) => setCredit(e.target.value)} />
        </Space>
      </Modal>
    </div>
  );
}
