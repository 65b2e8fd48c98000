import { useEffect, useRef } from 'react';

type JsQR = (data: Uint8ClampedArray, width: number, height: number, options?: { inversionAttempts?: 'dontInvert' | 'onlyInvert' | 'attemptBoth' | 'invertFirst' }) => { data: string } | null;

/** The check-in token in a scanned text: our check-in URL (/app/check-in?t=…) or a bare token. */
export function tokenFrom(text: string): string | null {
  try {
    const url = new URL(text, window.location.origin);
    const token = url.searchParams.get('t');
    if (token && url.pathname.endsWith('/check-in')) return token;
  } catch {
    // not a URL: maybe the token itself
  }
  return /^\d+\.\d+\.[\w-]+$/.test(text) ? text : null;
}

/**
 * The back camera's picture, decoded for a QR code a few times a second (jsQR, loaded on first
 * use). Calls onToken with the first check-in token found, onError when the camera cannot open.
 */
export function QrScanner({ onToken, onError, label }: { onToken: (token: string) => void; onError: (error: unknown) => void; label: string }) {
  const video = useRef<HTMLVideoElement>(null);
  const found = useRef(onToken);
  const failed = useRef(onError);
  useEffect(() => { found.current = onToken; failed.current = onError; });

  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setInterval> | undefined;
    let stopped = false;
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('2d', { willReadFrequently: true });
    (async () => {
      const [jsQRModule, media] = await Promise.all([
        import('jsqr'),
        navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }),
      ]);
      // jsQR is CommonJS: a bundler hands over the function, Node's typing the namespace around it.
      const loaded = jsQRModule.default as unknown as { default?: JsQR } & JsQR;
      const jsQR: JsQR = loaded.default ?? loaded;
      stream = media;
      if (stopped || !video.current) { media.getTracks().forEach((track) => track.stop()); return; }
      video.current.srcObject = media;
      await video.current.play();
      timer = setInterval(() => {
        const v = video.current;
        if (!v || !context || v.videoWidth === 0) return;
        canvas.width = v.videoWidth;
        canvas.height = v.videoHeight;
        context.drawImage(v, 0, 0);
        const image = context.getImageData(0, 0, canvas.width, canvas.height);
        const code = jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
        const token = code ? tokenFrom(code.data) : null;
        if (token) { clearInterval(timer); found.current(token); }
      }, 250);
    })().catch((error: unknown) => { if (!stopped) failed.current(error); });
    return () => {
      stopped = true;
      clearInterval(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, []);

  return <video ref={video} aria-label={label} muted playsInline style={{ width: '100%', borderRadius: 8, background: '#000', aspectRatio: '1 / 1', objectFit: 'cover' }} />;
}
