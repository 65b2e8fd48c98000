import type { AuditSubject } from '../../house/module.ts';

/** How the audit log names and opens news's records. */
export const newsAuditSubjects: Record<string, AuditSubject> = {
  news_article: { name: '(SELECT title FROM news_articles WHERE id = {id})', link: `'/newsroom/articles/' || {id}` },
  news_report: { name: `(SELECT '举报：' || a.title FROM news_reports r JOIN news_articles a ON a.id = r.article_id WHERE r.id = {id})`, link: `'/newsroom/reports'` },
  news_image: { link: `'/newsroom'` },
  news_newsroom: { name: '(SELECT name FROM orgs WHERE id = {id})', link: `'/newsroom'` },
};
