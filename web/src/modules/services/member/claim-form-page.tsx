import { Card, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { EmptyBlock, QueryView } from '../../../shared/ui/states.tsx';
import { ClaimForm } from '../components/claim-form.tsx';
import { useServicesT } from '../i18n/use-services-t.ts';
import { myCoverageQuery, useFileClaim } from './api.ts';

/** Filing a claim from the phone: the stay, the bank account and photos of the documents the plan requires. */
export default function ClaimFormPage() {
  const t = useServicesT();
  const navigate = useNavigate();
  const coverage = useQuery(myCoverageQuery);
  const file = useFileClaim();
  return (
    <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('my.newClaim')}</Typography.Title>}>
      <QueryView query={coverage} rows={8}>
        {(list) => {
          const covered = list.filter((c) => c.state === 'covered').map((c) => ({ planId: c.planId, label: c.planName, requiredDocuments: c.rules.requiredDocuments }));
          return covered.length ? (
            <ClaimForm
              plans={covered}
              send={({ personId: _, ...input }) => file.mutateAsync(input)}
              onFiled={(claim) => void navigate(`/services/claims/${claim.id}`, { replace: true })}
              submitLabel={t('my.submit')}
            />
          ) : <EmptyBlock description={t('my.notCovered')} />;
        }}
      </QueryView>
    </Card>
  );
}
