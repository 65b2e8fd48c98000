import type { FastifyInstance } from 'fastify';
import type { SubtreeFigures, WorkbenchCard } from '@workers-home/contract';
import type { Services } from '../context.ts';
import type { Queryable } from '../db/pool.ts';
import type { FileStore } from '../files/file-store.ts';
import type { Jobs } from '../jobs/jobs.ts';
import type { Caller } from '../plugins/access.ts';

/** The part of the subtree figures a module keeps: its key in SubtreeFigures. */
export type FiguresKey = Exclude<keyof SubtreeFigures, 'orgId' | 'asOf'>;

/**
 * A module's per-subtree counters: its own table, triggers and query (its migration registers
 * the table in subtree_figure_tables, see 0035); the figures module composes them into one
 * statement, so an organization's figures cost one round trip whatever the modules.
 */
export interface FiguresContribution<K extends FiguresKey = FiguresKey> {
  key: K;
  /**
   * A query over the organization `$1` (its only parameter) whose rows `fold` turns into the
   * figures of the organization's whole subtree. Each row has a `rows` column: how many stored
   * delta rows it was summed from (above a threshold the figures module compacts that organization).
   */
  sql: string;
  /** The figures from the query's rows (as JSON: numbers, strings, booleans, nulls). */
  fold(rows: Array<Record<string, unknown>>, now: Date): SubtreeFigures[K];
}

/**
 * A module's cards on the home page: what waits for the caller in their subtrees (failed
 * imports, classes starting, claims to review…). Each card counts only what the caller's own
 * roles let them act on; a module returns no card for a caller without its roles.
 */
export interface WorkbenchContribution {
  cards(db: Queryable, caller: Caller, now: Date): Promise<WorkbenchCard[]>;
}

/**
 * How the audit log names and links the records of one entity (its `entity` in audit_log):
 * SQL expressions over `{id}`, the entry's numeric entity id (NULL when it has none). `name`
 * gives the record's name as people know it (a person's name, a class's title); `link` the
 * console path that opens it. Entries that carry a person and whose entity gives no name are
 * named by the person.
 */
export interface AuditSubject {
  name?: string;
  link?: string;
}

/** What every module's routes are given by the app. */
export interface House {
  services: Services;
  version: string;
  /** The durable background jobs (server/src/jobs): modules register their kinds and enqueue. */
  jobs: Jobs;
  /** Where modules keep uploaded files (server/src/files). */
  files: FileStore;
  /** Every module's figures, in registry order. */
  figures: readonly FiguresContribution[];
  /** Every module's audit subjects, by entity. */
  auditSubjects: Readonly<Record<string, AuditSubject>>;
  /** Every module's home-page cards, in registry order. */
  workbench: readonly WorkbenchContribution[];
  /** Settings of the app (upload limits, session lengths) that some modules read. */
  settings: HouseSettings;
}

export interface HouseSettings {
  sessionMaxHours: number;
  imports?: { maxImportBytes?: number; importDir?: string; heapMb?: number };
}

/**
 * A module of the server: its name (the folder's), its routes under /api, and what it
 * contributes to the shared registries. Listed once in server/src/modules/index.ts.
 */
export interface ServerModule {
  name: string;
  routes(api: FastifyInstance, house: House): void | Promise<void>;
  /**
   * Public pages outside /api (server-rendered, e.g. the news portal at /news/): registered at
   * the root before the web app, whose catch-all they take precedence over. Every route still
   * declares its access.
   */
  pages?(app: FastifyInstance, house: House): void | Promise<void>;
  figures?: FiguresContribution;
  workbench?: WorkbenchContribution;
  /** How the audit log names and links this module's records, by entity. */
  auditSubjects?: Record<string, AuditSubject>;
}
