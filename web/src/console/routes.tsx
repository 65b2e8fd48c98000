import { createBrowserRouter, type RouteObject } from 'react-router';
import { WEB_MODULES } from '../modules/index.ts';
import ConsoleLayout from './console-layout.tsx';
import { NotFoundPage, RouteErrorPage } from './not-found-page.tsx';

/** While the first page's chunk loads: an empty page of the right colour, no spinner flash. */
const PageLoading = () => <div style={{ minHeight: '100vh' }} aria-busy="true" />;

/** Pages outside the console's frame (sign-in, public verification, the venue's display), each module's own. */
const standalone: RouteObject[] = WEB_MODULES.flatMap((m) => m.standaloneRoutes ?? [])
  .map((route) => ({ ...route, errorElement: <RouteErrorPage />, hydrateFallbackElement: <PageLoading /> }));

/** Every page but the shell is its own chunk, loaded when first opened (the modules' registry: web/src/modules/index.ts). */
export const router = createBrowserRouter([
  ...standalone,
  {
    path: '/',
    element: <ConsoleLayout />,
    errorElement: <RouteErrorPage />,
    hydrateFallbackElement: <PageLoading />,
    children: [
      ...WEB_MODULES.flatMap((m) => m.consoleRoutes ?? []),
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
