import { useEffect, useRef, useState } from 'react';
import { api } from '../../../shared/api/client.ts';

const PERIOD_MS = 30_000;

/**
 * While the page is shown, tells the server every 30 s how many seconds passed since the last
 * beat (the server credits no more than the time that really passed). Hidden: the time so far is
 * sent and counting stops until the page shows again. Answers the server's last reply.
 */
export function useHeartbeat<T>(path: string | null): { last: T | null; counting: boolean; error: unknown } {
  const [last, setLast] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [counting, setCounting] = useState(false);
  const since = useRef<number | null>(null);

  useEffect(() => {
    if (!path) return;
    const beat = (keepalive = false) => {
      if (since.current === null) return;
      const now = Date.now();
      const seconds = Math.round((now - since.current) / 1000);
      since.current = now;
      if (seconds <= 0) return;
      if (keepalive) {
        void fetch(`/api${path}`, { method: 'POST', keepalive: true, credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ seconds }) }).catch(() => undefined);
        return;
      }
      api<T>(path, { method: 'POST', body: { seconds } }).then((answer) => { setLast(answer); setError(null); }, setError);
    };
    const start = () => { since.current = Date.now(); setCounting(true); };
    const stop = () => { beat(true); since.current = null; setCounting(false); };
    const onVisibility = () => (document.visibilityState === 'visible' ? start() : stop());
    if (document.visibilityState === 'visible') start();
    const timer = setInterval(() => beat(), PERIOD_MS);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
      stop();
    };
  }, [path]);

  return { last, counting, error };
}
