import { useEffect, useRef, useState } from 'react';
import { Tree, type TreeDataNode, type GetRef } from 'antd';
import '../../../shared/ui/text.css';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Org } from '@workers-home/contract';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { QueryView } from '../../../shared/ui/states.tsx';
import { orgAncestorsQuery, orgChildrenQuery, orgRootsQuery } from '../api.ts';

const TREE_HEIGHT = 560;

/**
 * The organization tree, loading each level when it is opened. Opening an organization
 * elsewhere (search, a link) expands the tree down to it.
 */
export function OrgTree({ selectedId, onSelect }: { selectedId: number | undefined; onSelect: (id: number) => void }) {
  const { t, formatNumber } = useLocale();
  const client = useQueryClient();
  const treeRef = useRef<GetRef<typeof Tree>>(null);
  const roots = useQuery(orgRootsQuery);
  const [expanded, setExpanded] = useState<number[]>([]);
  const ancestors = useQuery({ ...orgAncestorsQuery(selectedId ?? 0), enabled: selectedId !== undefined });

  // Expand the path to the selected organization, and the organization itself, once per selection
  // (adjusting state while rendering, as React recommends over an effect).
  const [expandedFor, setExpandedFor] = useState<number | undefined>();
  if (ancestors.data && selectedId !== undefined && expandedFor !== selectedId) {
    const path = ancestors.data.filter((org) => org.childCount > 0).map((org) => org.id);
    setExpandedFor(selectedId);
    setExpanded((previous) => [...new Set([...previous, ...path])]);
  }

  const childPages = useQueries({ queries: expanded.map((id) => orgChildrenQuery(id)) });
  const childrenOf = new Map(expanded.map((id, index) => [id, childPages[index]?.data]));
  const allLoaded = childPages.every((page) => !page.isPending);

  useEffect(() => {
    if (selectedId !== undefined && allLoaded) treeRef.current?.scrollTo({ key: selectedId, align: 'auto' });
  }, [selectedId, allLoaded]);

  const build = (org: Org): TreeDataNode => {
    const page = childrenOf.get(org.id);
    const children = page?.items.map(build);
    if (page && children && page.total > page.items.length) {
      children.push({
        key: `more-${org.id}`, isLeaf: true, selectable: false,
        title: <span className="wh-secondary">{t('orgs.moreChildren', { count: page.total - page.items.length })}</span>,
      });
    }
    return {
      key: org.id,
      isLeaf: org.childCount === 0,
      title: (
        <span>
          <span className="org-name">{org.name}</span>
          {org.childCount > 0 && <span className="wh-secondary"> ({formatNumber(org.childCount)})</span>}
        </span>
      ),
      ...(children ? { children } : {}),
    };
  };
  const data = roots.data?.map(build) ?? [];

  return (
    <QueryView query={roots} rows={10} minHeight={TREE_HEIGHT}>
      {() => (
        <Tree
          ref={treeRef}
          aria-label={t('orgs.treeLabel')}
          height={TREE_HEIGHT}
          treeData={data}
          blockNode
          expandedKeys={expanded}
          // Keep keys whose nodes have not loaded yet: the path to a deep organization opens level by level.
          autoExpandParent={false}
          defaultExpandParent={false}
          selectedKeys={selectedId !== undefined ? [selectedId] : []}
          loadData={async (node) => { await client.ensureQueryData(orgChildrenQuery(Number(node.key))); }}
          onExpand={(keys) => setExpanded(keys.map(Number).filter((k) => !Number.isNaN(k)))}
          onSelect={(_keys, info) => {
            const id = Number(info.node.key);
            if (Number.isNaN(id)) return;
            if (!info.node.isLeaf) setExpanded((previous) => (previous.includes(id) ? previous : [...previous, id]));
            onSelect(id);
          }}
        />
      )}
    </QueryView>
  );
}
