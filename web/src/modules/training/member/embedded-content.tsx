import { Typography } from 'antd';
import { useTrainingT } from '../i18n/use-training-t.ts';

const VIDEO_FILE = /\.(mp4|m4v|webm|ogv|ogg|mov)$/i;
const PDF_FILE = /\.pdf$/i;

const pathOf = (url: string) => {
  try { return new URL(url, window.location.href).pathname; } catch { return url; }
};

/** How a material or a stream plays inside the page: a video file in <video>, anything else (a PDF, a player page) in a frame. */
export function embedKind(url: string): 'video' | 'pdf' | 'frame' {
  const path = pathOf(url);
  if (VIDEO_FILE.test(path)) return 'video';
  if (PDF_FILE.test(path)) return 'pdf';
  return 'frame';
}

/**
 * A material or a live stream played inside the page that counts the time, not in a new tab:
 * a video file in a <video>, a PDF in a frame the browser's viewer fills, a player page
 * (an external live or video site) in a sandboxed frame — it may play but not navigate this
 * page. The server's Content-Security-Policy allows https: media and frames for this. A site
 * that refuses to be framed shows its own blank frame: the link below opens it elsewhere,
 * saying that time is not counted there.
 */
export function EmbeddedContent({ url, title, kind }: { url: string; title: string; kind: 'material' | 'stream' }) {
  const t = useTrainingT();
  const how = embedKind(url);
  const frameStyle = { width: '100%', border: 0, borderRadius: 8, background: '#f5f5f5', display: 'block' } as const;
  return (
    <div data-testid="embedded-content" style={{ marginTop: 12 }}>
      {how === 'video' && (
        // Captions are the material's own: the organizer's file carries them when it has them.
        <video src={url} controls playsInline preload="metadata" aria-label={title} style={{ ...frameStyle, aspectRatio: '16 / 9', background: '#000' }} />
      )}
      {how === 'pdf' && <iframe src={url} title={title} style={{ ...frameStyle, height: '70vh', minHeight: 360 }} />}
      {how === 'frame' && (
        <iframe
          src={url}
          title={title}
          sandbox="allow-scripts allow-same-origin allow-presentation allow-popups"
          allow="autoplay; fullscreen; picture-in-picture; encrypted-media"
          allowFullScreen
          style={{ ...frameStyle, aspectRatio: kind === 'stream' ? '16 / 9' : undefined, height: kind === 'stream' ? undefined : '70vh', minHeight: kind === 'stream' ? undefined : 360 }}
        />
      )}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8, marginBottom: 0 }}>
        {t('my.embedFallback')} <Typography.Link href={url} target="_blank" rel="noreferrer noopener">{t('my.openElsewhere')}</Typography.Link>
      </Typography.Paragraph>
    </div>
  );
}
