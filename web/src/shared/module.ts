import type { ComponentType } from 'react';
import type { RouteObject } from 'react-router';
import type { QueryClient } from '@tanstack/react-query';
import { queryClient } from './api/query-client.ts';
import type { Role } from '@workers-home/contract';
import type { MessageKey } from './i18n/catalogue.ts';

/** A page loaded as its own chunk when first opened. */
export const page = (load: () => Promise<{ default: ComponentType }>): Pick<RouteObject, 'lazy'> => ({
  lazy: async () => ({ Component: (await load()).default }),
});

/**
 * A page whose data is asked for while its code loads (the route's loader starts the queries
 * the page will read; it does not wait for them, so the page still shows its own loading state).
 */
export const pageWithData = (load: () => Promise<{ default: ComponentType }>, prefetch: (client: QueryClient) => Promise<void>): Pick<RouteObject, 'lazy' | 'loader'> => ({
  ...page(load),
  loader: () => {
    void prefetch(queryClient);
    return null;
  },
});

/** A menu entry of the console: shown to accounts holding one of its roles. */
export interface ConsoleNavItem {
  path: string;
  label: MessageKey;
  roles: readonly Role[];
}

/** A section of the member app's top bar; its label in both languages (module words load with its pages). */
export interface MemberNavItem {
  to: string;
  end: boolean;
  label: { 'zh-CN': string; en: string };
}

/**
 * A module of the web app: its pages and menu entries, listed once in web/src/modules/index.ts;
 * the console and the member app build their routes and menus from that list.
 */
export interface WebModule {
  name: string;
  /** Console pages outside the console's frame (public pages, full-screen displays). */
  standaloneRoutes?: RouteObject[];
  /** Console pages inside its frame (paths relative to /). */
  consoleRoutes?: RouteObject[];
  consoleNav?: ConsoleNavItem[];
  /** Shortcuts on the console's home page (the things most often done there), shown to accounts holding one of their roles. */
  homeShortcuts?: ConsoleNavItem[];
  /** Member-app pages (paths relative to /app/), built with antd: it loads with the first of them opened. */
  memberRoutes?: RouteObject[];
  /**
   * Member-app pages drawn in plain HTML (shared/ui/plain.tsx) that show before antd has loaded:
   * the first page, opened on nearly every visit.
   */
  memberPlainRoutes?: RouteObject[];
  memberNav?: MemberNavItem[];
}
