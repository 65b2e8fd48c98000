import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Article, ArticleAction, ArticleCreate, ArticleListQuery, ArticleSummary, ArticleUpdate, ArticleVersion, IdParams, ImageUploadQuery, NEWS_IMAGE_MAX_BYTES,
  NewsImage, Newsroom, NewsroomSettings, pageOf, ProblemSchema, Report, ReportAnswer, ReportListQuery, Reprint, ReprintInput, ReprintTarget, standardProblems,
} from '@workers-home/contract';
import { AppError, badRequest } from '../../errors.ts';
import { errorText, PROBLEM_TYPES } from '@workers-home/contract';
import type { House } from '../../house/module.ts';
import { callerOf, writeContextOf as ctx } from '../../plugins/access.ts';
import { acceptUploads } from '../../uploads/receive-file.ts';
import * as articles from './articles.ts';
import { uploadImage } from './images.ts';
import { updateNewsroom } from './newsrooms.ts';
import { newsPolicy } from './policy.ts';
import { answerReport, listReports } from './reports.ts';
import { listReprintTargets, proposeReprint } from './reprints.ts';

const tags = ['news'];
const writeProblems = { ...standardProblems, 409: ProblemSchema };
export const PUBLISH_JOB = 'news-publish';

/** The newsroom in the console: articles and their workflow, photos, reports, newsroom settings. */
export default async function newsRoutes(app: FastifyInstance, house: House) {
  const { pool } = house.services;
  // One byte over the limit reaches the file store, which answers 413 naming the field.
  await acceptUploads(app, NEWS_IMAGE_MAX_BYTES + 1, 1);
  const scheduler: articles.Scheduler = {
    schedule: async (db, articleId, version, at) => { await house.jobs.enqueue(PUBLISH_JOB, { articleId, version }, db, { startAfter: at }); },
  };
  house.jobs.register<{ articleId: number; version: number }>({
    name: PUBLISH_JOB, concurrency: 1, runsOn: 'any', interrupted: 'retry',
    run: async ({ articleId, version }) => { await articles.publishScheduled(pool, articleId, version); },
    // A retried publication runs again; one already done is left alone (publishScheduled checks the version).
    onInterrupted: () => Promise.resolve(),
  });
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/news/articles', {
    schema: { tags, summary: 'Articles of the caller\'s newsrooms (latest change first)', querystring: ArticleListQuery, response: { 200: pageOf(ArticleSummary), ...standardProblems } },
    config: { access: newsPolicy.write },
  }, (request) => articles.listArticles(pool, callerOf(request), request.query));
  r.post('/news/articles', {
    schema: { tags, summary: 'Write an article (a draft of the organization\'s newsroom; the body is sanitized)', body: ArticleCreate, response: { 201: Article, ...writeProblems } },
    config: { access: newsPolicy.write },
  }, async (request, reply) => reply.code(201).send(await articles.createArticle(pool, ctx(request), request.body)));
  r.get('/news/articles/:id', {
    schema: { tags, summary: 'An article', params: IdParams, response: { 200: Article, ...standardProblems } },
    config: { access: newsPolicy.write },
  }, (request) => articles.getArticle(pool, callerOf(request), request.params.id));
  r.patch('/news/articles/:id', {
    schema: { tags, summary: 'Change an article (a new version; `version` is the one the change starts from)', params: IdParams, body: ArticleUpdate, response: { 200: Article, ...writeProblems } },
    config: { access: newsPolicy.write },
  }, (request) => articles.updateArticle(pool, ctx(request), request.params.id, request.body));
  r.post('/news/articles/:id/actions', {
    schema: { tags, summary: 'A step of the workflow: submit (editors); publish now or at a time, return with a comment, withdraw (the chief editor)', params: IdParams, body: ArticleAction, response: { 200: Article, ...writeProblems } },
    config: { access: newsPolicy.write },
  }, (request) => articles.actOnArticle(pool, ctx(request), request.params.id, request.body, scheduler));
  r.get('/news/articles/:id/reprint-targets', {
    schema: { tags, summary: 'The newsrooms of the organizations above the article\'s own, nearest first, that it may be proposed to (转载); each says whether it was proposed there already', params: IdParams, response: { 200: z.array(ReprintTarget), ...standardProblems } },
    config: { access: newsPolicy.write },
  }, (request) => listReprintTargets(pool, callerOf(request), request.params.id));
  r.post('/news/articles/:id/reprint', {
    schema: { tags, summary: 'Propose a published article to the newsroom of an organization above its own (转载): a copy waits there for its chief editor, bylines kept; once per newsroom (409 on toOrgId)', params: IdParams, body: ReprintInput, response: { 201: Reprint, ...writeProblems } },
    config: { access: newsPolicy.write },
  }, async (request, reply) => reply.code(201).send(await proposeReprint(pool, ctx(request), request.params.id, request.body.toOrgId)));
  r.get('/news/articles/:id/versions', {
    schema: { tags, summary: 'Every version of an article, newest first', params: IdParams, response: { 200: z.array(ArticleVersion), ...standardProblems } },
    config: { access: newsPolicy.write },
  }, (request) => articles.listVersions(pool, callerOf(request), request.params.id));

  r.post('/news/images', {
    schema: {
      tags, summary: 'Upload a photo (multipart field "file"; JPEG, PNG or WebP by content, at most 20 MB): resized for the portal, metadata removed',
      querystring: ImageUploadQuery, response: { 201: NewsImage, 413: ProblemSchema, 415: ProblemSchema, 422: ProblemSchema, ...standardProblems },
    },
    config: { access: newsPolicy.write },
  }, async (request, reply) => {
    if (!request.isMultipart()) {
      throw new AppError(415, PROBLEM_TYPES.unsupportedMediaType, 'Unsupported media type', 'request.multipart_required', `body: ${errorText('request.multipart_required')}`);
    }
    const part = await request.file();
    if (!part || part.fieldname !== 'file') throw badRequest('body.file', 'news.image.file_missing');
    const image = await uploadImage(pool, house.files, ctx(request), request.query.orgId, part.file);
    return reply.code(201).send(image);
  });

  r.get('/news/reports', {
    schema: { tags, summary: 'Reports of harmful content on the caller\'s newsrooms\' articles (open ones first, oldest first)', querystring: ReportListQuery, response: { 200: pageOf(Report), ...standardProblems } },
    config: { access: newsPolicy.write },
  }, (request) => listReports(pool, callerOf(request), request.query));
  r.post('/news/reports/:id/answer', {
    schema: { tags, summary: 'Answer a report (and close it)', params: IdParams, body: ReportAnswer, response: { 200: Report, ...writeProblems } },
    config: { access: newsPolicy.write },
  }, (request) => answerReport(pool, ctx(request), request.params.id, request.body));

  r.put('/news/newsrooms/:id', {
    schema: { tags, summary: 'Name the newsroom of organization :id (its portal address) and its hotline and e-mail for reports (the chief editor)', params: IdParams, body: NewsroomSettings, response: { 200: Newsroom, ...writeProblems } },
    config: { access: newsPolicy.publish },
  }, (request) => updateNewsroom(pool, ctx(request), request.params.id, request.body));
}
