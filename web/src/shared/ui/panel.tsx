import type { CSSProperties, ReactNode } from 'react';
import './panel.css';

/**
 * A white panel with an optional title bar: what antd's Card looks like, without its
 * weight (Card bundles Tabs) on the pages that must load first.
 */
export function Panel({ title, extra, children, style, bodyStyle, className }: {
  title?: ReactNode;
  extra?: ReactNode;
  children: ReactNode;
  style?: CSSProperties;
  bodyStyle?: CSSProperties;
  className?: string;
}) {
  return (
    <section className={className ? `wh-panel ${className}` : 'wh-panel'} style={style}>
      {title !== undefined && (
        <div className="wh-panel-head">
          <div className="wh-panel-title">{title}</div>
          {extra}
        </div>
      )}
      <div className="wh-panel-body" style={bodyStyle}>{children}</div>
    </section>
  );
}
