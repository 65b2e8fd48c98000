import type { Plugin } from 'vite';

// antd's Table imports its whole Tree (antd's Tree with @rc-component/tree and its icons) for
// one feature: a column filter dropdown with `filterMode: 'tree'`
// (antd/es/table/hooks/useFilter/FilterDropdown.js). No table here has column filters, yet that
// import put the Tree on every page with a table, the member list included (about 13 KB gzip).
// This plugin points that one import at a stand-in that renders nothing, so the Tree is bundled
// only with the pages that use it themselves (the organization tree, the class page).
// A plain stand-in rather than a lazy import of the real Tree: a dynamic import there made
// rolldown regroup the shared code (react-dom and antd's core split off the main shared chunk)
// and cost the sign-in and tree pages 2-3 KB. Lint forbids `filterMode: 'tree'` (eslint.config.js),
// since the development server (which pre-bundles antd) still has the real Tree.
const FILTER_DROPDOWN = /[\\/]antd[\\/]es[\\/]table[\\/]hooks[\\/]useFilter[\\/]FilterDropdown\.js$/;
const STAND_IN = '\0workers-home:table-filter-tree';
const STAND_IN_SOURCE = `export default function TableFilterTreeLeftOut() {
  console.error("Table column filters with filterMode 'tree' are left out of this build (web/build/table-without-tree-filter.ts)");
  return null;
}
`;

export function tableWithoutTreeFilter(): Plugin {
  let replaced = false;
  return {
    name: 'workers-home:table-without-tree-filter',
    apply: 'build',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source !== '../../../tree' || !importer || !FILTER_DROPDOWN.test(importer)) return null;
      replaced = true;
      return STAND_IN;
    },
    load(id) {
      return id === STAND_IN ? STAND_IN_SOURCE : null;
    },
    buildEnd(error) {
      // If an antd upgrade moves the import, say so rather than silently shipping the Tree again.
      if (!error && !replaced) this.warn("antd's table filter dropdown no longer imports '../../../tree': the Tree is back on every table page");
    },
  };
}
