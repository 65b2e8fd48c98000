import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { Article, ArticleStatus, ArticleSummary, ArticleVersion, NewsChannel, NewsImage, Report, ReportStatus, Reprint, ReprintTarget } from '@workers-home/contract';
import { api, ApiError, queryString } from '../../shared/api/client.ts';
import type { Page } from '../../shared/api/page.ts';

export interface ArticleFilter {
  q?: string | undefined;
  status?: ArticleStatus | undefined;
  channel?: NewsChannel | undefined;
  orgId?: number | undefined;
}

export const articleListQuery = (filter: ArticleFilter, page: number, pageSize: number) => queryOptions({
  queryKey: ['news', 'articles', filter, page, pageSize],
  queryFn: () => api<Page<ArticleSummary>>(`/news/articles${queryString({ ...filter, page, pageSize })}`),
  placeholderData: (previous) => previous,
});

export const articleQuery = (id: number) => queryOptions({ queryKey: ['news', 'article', id], queryFn: () => api<Article>(`/news/articles/${id}`) });
export const versionsQuery = (id: number) => queryOptions({ queryKey: ['news', 'article', id, 'versions'], queryFn: () => api<ArticleVersion[]>(`/news/articles/${id}/versions`) });

export const reportListQuery = (status: ReportStatus | undefined, page: number) => queryOptions({
  queryKey: ['news', 'reports', status, page],
  queryFn: () => api<Page<Report>>(`/news/reports${queryString({ status, page, pageSize: 20 })}`),
  placeholderData: (previous) => previous,
});

export type ArticleInput = Partial<Omit<Article, 'id' | 'orgName' | 'orgSlug' | 'status' | 'version' | 'publishedAt' | 'returnComment' | 'updatedAt' | 'createdAt' | 'url' | 'reprintOf' | 'reprintFrom'>>;

export function useSaveArticle(id: number | null) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ input, version }: { input: ArticleInput; version?: number }) => (id === null
      ? api<Article>('/news/articles', { method: 'POST', body: input })
      : api<Article>(`/news/articles/${id}`, { method: 'PATCH', body: { ...input, version } })),
    onSuccess: (article) => { client.setQueryData(['news', 'article', article.id], article); void client.invalidateQueries({ queryKey: ['news', 'articles'] }); },
  });
}

export type ArticleActionInput =
  | { action: 'submit' } | { action: 'publish'; at?: string } | { action: 'return'; comment: string } | { action: 'withdraw'; comment?: string };

export function useArticleAction(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ input, version }: { input: ArticleActionInput; version: number }) => api<Article>(`/news/articles/${id}/actions`, { method: 'POST', body: { ...input, version } }),
    onSuccess: (article) => {
      client.setQueryData(['news', 'article', id], article);
      void client.invalidateQueries({ queryKey: ['news', 'articles'] });
      void client.invalidateQueries({ queryKey: ['news', 'article', id, 'versions'] });
    },
  });
}

/** The newsrooms above an article's organization, nearest first, that it may be proposed to. */
export const reprintTargetsQuery = (id: number) => queryOptions({
  queryKey: ['news', 'article', id, 'reprint-targets'],
  queryFn: () => api<ReprintTarget[]>(`/news/articles/${id}/reprint-targets`),
});

/** Proposes the article to a newsroom above (转载): a copy waits there for its chief editor. */
export function useProposeReprint(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (toOrgId: number) => api<Reprint>(`/news/articles/${id}/reprint`, { method: 'POST', body: { toOrgId } }),
    // Refetched on a refusal too: a 409 means someone proposed it meanwhile, and the list should say so.
    onSettled: () => { void client.invalidateQueries({ queryKey: ['news', 'article', id, 'reprint-targets'] }); },
  });
}

export function useAnswerReport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, answer, close }: { id: number; answer: string; close: boolean }) => api<Report>(`/news/reports/${id}/answer`, { method: 'POST', body: { answer, close } }),
    onSuccess: () => { void client.invalidateQueries({ queryKey: ['news', 'reports'] }); },
  });
}

/** Uploads a photo (multipart) for an organization's articles. */
export async function uploadImage(orgId: number, file: File): Promise<NewsImage> {
  const form = new FormData();
  form.append('file', file);
  const response = await fetch(`/api/news/images${queryString({ orgId })}`, { method: 'POST', body: form, credentials: 'same-origin' });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, body as ConstructorParameters<typeof ApiError>[1]);
  return body as NewsImage;
}
