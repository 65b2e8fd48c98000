import { Panel } from '../../../shared/ui/panel.tsx';
import { useT } from '../../../shared/i18n/locale.tsx';
import { EmptyBlock } from '../../../shared/ui/states.tsx';

/** Beside the tree before an organization is chosen. */
export default function OrgNoneSelected() {
  const t = useT();
  return (
    <Panel style={{ minHeight: 300 }}>
      <EmptyBlock description={t('orgs.chooseOne')} />
    </Panel>
  );
}
