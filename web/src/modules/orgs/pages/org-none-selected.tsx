import { Grid } from 'antd';
import { Panel } from '../../../shared/ui/panel.tsx';
import { useT } from '../../../shared/i18n/locale.tsx';
import { EmptyBlock } from '../../../shared/ui/states.tsx';

/** Beside (or, on a narrow screen, below) the tree before an organization is chosen. */
export default function OrgNoneSelected() {
  const t = useT();
  // Below antd's lg breakpoint the tree sits above this panel, not beside it (orgs-page.tsx).
  const beside = Grid.useBreakpoint().lg !== false;
  return (
    <Panel style={{ minHeight: 300 }}>
      <EmptyBlock description={t(beside ? 'orgs.chooseOne' : 'orgs.chooseOneAbove')} />
    </Panel>
  );
}
