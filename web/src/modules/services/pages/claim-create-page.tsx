import { useEffect, useState } from 'react';
import { Form, Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import type { Claim, ClaimCreate, MemberRow } from '@workers-home/contract';
import { api, queryString } from '../../../shared/api/client.ts';
import type { Page } from '../../../shared/api/page.ts';
import { Panel } from '../../../shared/ui/panel.tsx';
import { EmptyBlock, QueryView } from '../../../shared/ui/states.tsx';
import { planQuery, planListQuery } from '../api.ts';
import { ClaimForm } from '../components/claim-form.tsx';
import { useServicesT } from '../i18n/use-services-t.ts';

/** A member of the caller's subtree, searched by name or ID number. */
function PersonPicker({ value, onChange, id }: { value?: number; onChange?: (id: number | undefined) => void; id?: string }) {
  const t = useServicesT();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 250);
    return () => clearTimeout(timer);
  }, [typed]);
  const members = useQuery({
    queryKey: ['services', 'claim-person', q],
    queryFn: () => api<Page<MemberRow>>(`/members${queryString({ q, status: 'active', page: 1, pageSize: 20 })}`),
    enabled: q.length > 0,
  });
  return (
    <Select<number>
      id={id}
      aria-label={t('claim.member')}
      placeholder={t('claim.personHint')}
      showSearch={{ filterOption: false, onSearch: setTyped }}
      loading={members.isFetching}
      value={value}
      onChange={(v) => onChange?.(v)}
      notFoundContent={q ? t('claim.personNone') : null}
      options={(members.data?.items ?? []).map((m) => ({ value: m.personId, label: `${m.name} · ${m.orgName}` }))}
    />
  );
}

/** Staff of a union file a claim for one of its members (on paper at the service hall, say). */
export default function ClaimCreatePage() {
  const t = useServicesT();
  const navigate = useNavigate();
  const plans = useQuery(planListQuery({}, 1));
  const [planId, setPlanId] = useState<number>();
  const active = (plans.data?.items ?? []).filter((p) => p.status === 'active');
  const chosen = planId ?? active[0]?.id;
  const plan = useQuery({ ...planQuery(chosen ?? 0), enabled: chosen !== undefined });
  const send = (input: ClaimCreate) => api<Claim>('/services/claims', { method: 'POST', body: input });
  return (
    <Panel title={t('claim.fileForMember')}>
      <QueryView query={plans} rows={8}>
        {() => (active.length === 0 ? <EmptyBlock description={t('noPlans')} /> : (
          <>
            {active.length > 1 ? (
              <Form layout="vertical"><Form.Item label={t('claim.plan')}>
                <Select aria-label={t('claim.plan')} value={chosen} onChange={setPlanId} options={active.map((p) => ({ value: p.id, label: `${p.name} · ${p.orgName}` }))} />
              </Form.Item></Form>
            ) : null}
            {plan.data ? (
              <div style={{ maxWidth: 640 }}>
                <ClaimForm
                  key={plan.data.id}
                  plans={[{ planId: plan.data.id, label: plan.data.name, requiredDocuments: plan.data.rules.requiredDocuments }]}
                  before={<Form.Item name="personId" label={t('claim.member')} rules={[{ required: true, message: t('claim.member') }]}><PersonPicker /></Form.Item>}
                  send={send}
                  onFiled={(claim) => void navigate(`/services/claims/${claim.id}`, { replace: true })}
                  submitLabel={t('my.submit')}
                />
              </div>
            ) : null}
          </>
        ))}
      </QueryView>
    </Panel>
  );
}
