import { useState } from 'react';
import { Alert, App, Button, Checkbox, Col, Flex, Form, Input, InputNumber, Row, Select, Switch, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { CLAIM_DOCUMENT_KINDS, ORG_LEVELS, type AidPlan, type AidPlanCreate, type AidPlanUpdate, type BenefitRules, type ClaimDocumentKind, type OrgLevel } from '@workers-home/contract';
import { chinaToday } from '../../../shared/i18n/china-time.ts';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { renameErrorFields, showServerErrors } from '../../../shared/i18n/server-messages.ts';
import { Panel } from '../../../shared/ui/panel.tsx';
import { ErrorBlock, LoadingBlock } from '../../../shared/ui/states.tsx';
import { LEVEL_LABEL, OrgSelect } from '../../orgs/index.ts';
import { planQuery, useSavePlan } from '../api.ts';
import { YuanInput, yuanRule } from '../components/money-input.tsx';
import { useServicesT } from '../i18n/use-services-t.ts';
import { fenToYuanText, parseYuan } from '../../../shared/money.ts';
import { DateField } from '../components/date-field.tsx';

interface Values {
  orgId?: number;
  name: string;
  planYear: number;
  coverageStart: string;
  coverageEnd: string;
  enrolStart: string;
  enrolEnd: string;
  minAge: number | null;
  maxAge: number | null;
  contribution: string;
  waitingDays: number;
  reviewLevels: OrgLevel[];
  sampling: boolean;
  reviewAbove: string;
  sampleShare: number;
  dailyAllowance: string;
  deductibleDays: number;
  perStayCap: string;
  perYearCap: string;
  maxStaysPerYear: number;
  minStayDays: number;
  requiredDocuments: ClaimDocumentKind[];
  rulesFrom?: string;
}

// The server's field names → this form's (amounts in fen there, in yuan here).
const FIELD_RENAMES: Record<string, string> = Object.fromEntries(Object.entries({
  contributionFen: 'contribution', 'rules.dailyAllowanceFen': 'dailyAllowance', 'rules.perStayCapFen': 'perStayCap', 'rules.perYearCapFen': 'perYearCap',
  'rules.deductibleDays': 'deductibleDays', 'rules.maxStaysPerYear': 'maxStaysPerYear', 'rules.minStayDays': 'minStayDays', 'rules.requiredDocuments': 'requiredDocuments',
  'sampling.reviewAboveFen': 'reviewAbove', 'sampling.sampleShare': 'sampleShare',
}).map(([from, to]) => [`body.${from}`, `body.${to}`]));
const FORM_FIELDS = ['orgId', 'name', 'planYear', 'coverageStart', 'coverageEnd', 'enrolStart', 'enrolEnd', 'minAge', 'maxAge', 'contribution', 'waitingDays',
  'reviewLevels', 'reviewAbove', 'sampleShare', 'dailyAllowance', 'deductibleDays', 'perStayCap', 'perYearCap', 'maxStaysPerYear', 'minStayDays', 'requiredDocuments', 'rulesFrom'];

const fen = (text: string) => parseYuan(text) ?? 0;
const sameRules = (a: BenefitRules, b: BenefitRules) => JSON.stringify({ ...a, requiredDocuments: [...a.requiredDocuments].sort() }) === JSON.stringify({ ...b, requiredDocuments: [...b.requiredDocuments].sort() });

function initialValues(plan: AidPlan | null): Partial<Values> {
  if (!plan) {
    const year = Number(chinaToday().slice(0, 4)) + 1;
    return {
      planYear: year, coverageStart: `${year}-01-01`, coverageEnd: `${year}-12-31`, enrolStart: `${year - 1}-12-01`, enrolEnd: `${year}-01-31`,
      minAge: null, maxAge: null, waitingDays: 30, reviewLevels: ['grassroots'], sampling: false, reviewAbove: '1000', sampleShare: 10,
      contribution: '30', dailyAllowance: '50', deductibleDays: 2, perStayCap: '1500', perYearCap: '3000', maxStaysPerYear: 3, minStayDays: 3,
      requiredDocuments: ['discharge_summary', 'invoice'],
    };
  }
  return {
    name: plan.name, planYear: plan.planYear, coverageStart: plan.coverageStart, coverageEnd: plan.coverageEnd, enrolStart: plan.enrolStart, enrolEnd: plan.enrolEnd,
    minAge: plan.minAge, maxAge: plan.maxAge, contribution: fenToYuanText(plan.contributionFen), waitingDays: plan.waitingDays, reviewLevels: plan.reviewLevels,
    sampling: plan.sampling !== null, reviewAbove: fenToYuanText(plan.sampling?.reviewAboveFen ?? 100000), sampleShare: Math.round((plan.sampling?.sampleShare ?? 0.1) * 100),
    dailyAllowance: fenToYuanText(plan.rules.dailyAllowanceFen), deductibleDays: plan.rules.deductibleDays, perStayCap: fenToYuanText(plan.rules.perStayCapFen),
    perYearCap: fenToYuanText(plan.rules.perYearCapFen), maxStaysPerYear: plan.rules.maxStaysPerYear, minStayDays: plan.rules.minStayDays,
    requiredDocuments: plan.rules.requiredDocuments,
  };
}

/** Creates or edits a Huigong Bao plan: dates, contribution, review levels, sampling and the benefit rules. */
export default function PlanFormPage() {
  const t = useServicesT();
  const { id: idParam } = useParams();
  const id = idParam ? Number(idParam) : null;
  const plan = useQuery({ ...planQuery(id ?? 0), enabled: id !== null });
  if (id !== null && plan.error) return <Panel title={t('plan.edit')}><ErrorBlock error={plan.error} onRetry={() => void plan.refetch()} /></Panel>;
  if (id !== null && !plan.data) return <Panel title={t('plan.edit')}><LoadingBlock rows={12} /></Panel>;
  return <PlanForm plan={plan.data ?? null} />;
}

function PlanForm({ plan }: { plan: AidPlan | null }) {
  const t = useServicesT();
  const { t: tc } = useLocale();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const save = useSavePlan(plan?.id ?? null);
  const [errors, setErrors] = useState<string[]>([]);
  const sampling = Form.useWatch('sampling', form);
  const watched = Form.useWatch([], form) as Partial<Values> | undefined;

  const rulesOf = (v: Values): BenefitRules => ({
    dailyAllowanceFen: fen(v.dailyAllowance), deductibleDays: v.deductibleDays, perStayCapFen: fen(v.perStayCap), perYearCapFen: fen(v.perYearCap),
    maxStaysPerYear: v.maxStaysPerYear, minStayDays: v.minStayDays, requiredDocuments: v.requiredDocuments,
  });
  const rulesChanged = plan !== null && watched?.dailyAllowance !== undefined && !sameRules(rulesOf({ ...initialValues(plan), ...watched } as Values), plan.rules);

  const onSave = async (v: Values) => {
    setErrors([]);
    // Levels bottom up, whatever order they were picked in.
    const reviewLevels = [...v.reviewLevels].sort((a, b) => ORG_LEVELS.indexOf(b) - ORG_LEVELS.indexOf(a));
    const fields = {
      name: v.name.trim(), planYear: v.planYear, coverageStart: v.coverageStart, coverageEnd: v.coverageEnd, enrolStart: v.enrolStart, enrolEnd: v.enrolEnd,
      minAge: v.minAge ?? null, maxAge: v.maxAge ?? null, contributionFen: fen(v.contribution), waitingDays: v.waitingDays, reviewLevels,
      sampling: v.sampling ? { reviewAboveFen: fen(v.reviewAbove), sampleShare: v.sampleShare / 100 } : null,
    };
    const rules = rulesOf(v);
    const input: AidPlanCreate | AidPlanUpdate = plan === null
      ? { ...fields, orgId: v.orgId!, rules }
      : { ...fields, ...(sameRules(rules, plan.rules) ? {} : { rules, ...(v.rulesFrom ? { rulesFrom: v.rulesFrom } : {}) }) };
    try {
      const saved = await save.mutateAsync(input);
      void message.success(plan === null ? t('plan.created') : t('plan.saved'));
      void navigate(`/services/plans/${saved.id}`, { replace: plan === null });
    } catch (error) {
      setErrors(showServerErrors(form, renameErrorFields(error, FIELD_RENAMES), tc, FORM_FIELDS));
    }
  };

  const required = (label: string) => [{ required: true, message: label }];
  const date = (name: keyof Values, label: string) => (
    <Col xs={24} sm={12} md={6}><Form.Item name={name} label={label} rules={required(label)}><DateField /></Form.Item></Col>
  );
  const count = (name: keyof Values, label: string, max: number, extra?: string) => (
    <Col xs={24} sm={12} md={6}><Form.Item name={name} label={label} extra={extra} rules={required(label)}><InputNumber min={0} max={max} precision={0} style={{ width: '100%' }} /></Form.Item></Col>
  );
  const money = (name: keyof Values, label: string) => (
    <Col xs={24} sm={12} md={6}><Form.Item name={name} label={label} required rules={[yuanRule(t)]}><YuanInput /></Form.Item></Col>
  );
  const section = (text: string) => <Typography.Title level={3} style={{ fontSize: 15, margin: '8px 0 12px' }}>{text}</Typography.Title>;

  return (
    <Panel title={plan ? t('plan.edit') : t('newPlan')}>
      {plan ? <Typography.Title level={1} style={{ fontSize: 18, marginTop: 0 }}>{plan.name}</Typography.Title> : null}
      {errors.map((e) => <Alert key={e} type="error" showIcon role="alert" title={e} style={{ marginBottom: 12 }} />)}
      <Form<Values> form={form} layout="vertical" initialValues={initialValues(plan)} onFinish={(v) => void onSave(v)} scrollToFirstError>
        <Row gutter={16}>
          {plan === null ? (
            <Col xs={24} md={12}>
              <Form.Item name="orgId" label={t('plan.org')} rules={required(t('plan.org'))}>
                <OrgSelect aria-label={t('plan.org')} onChange={(v) => form.setFieldValue('orgId', v)} />
              </Form.Item>
            </Col>
          ) : null}
          <Col xs={24} md={plan === null ? 8 : 16}><Form.Item name="name" label={t('plan.name')} rules={required(t('plan.name'))}><Input maxLength={80} /></Form.Item></Col>
          <Col xs={24} md={4}><Form.Item name="planYear" label={t('plan.year')} rules={required(t('plan.year'))}><InputNumber min={2000} max={2100} precision={0} style={{ width: '100%' }} /></Form.Item></Col>
          {date('enrolStart', t('plan.enrolStart'))}
          {date('enrolEnd', t('plan.enrolEnd'))}
          {date('coverageStart', t('plan.coverageStart'))}
          {date('coverageEnd', t('plan.coverageEnd'))}
          {money('contribution', t('plan.contribution'))}
          {count('waitingDays', t('plan.waitingDays'), 365, t('plan.waitingHint'))}
          <Col xs={24} sm={12} md={6}><Form.Item name="minAge" label={t('plan.minAge')} extra={t('plan.ageHint')}><InputNumber min={0} max={120} precision={0} style={{ width: '100%' }} /></Form.Item></Col>
          <Col xs={24} sm={12} md={6}><Form.Item name="maxAge" label={t('plan.maxAge')}><InputNumber min={0} max={120} precision={0} style={{ width: '100%' }} /></Form.Item></Col>
        </Row>
        {section(t('plan.rules'))}
        <Row gutter={16}>
          {money('dailyAllowance', t('rules.dailyAllowance'))}
          {count('deductibleDays', t('rules.deductibleDays'), 366)}
          {money('perStayCap', t('rules.perStayCap'))}
          {money('perYearCap', t('rules.perYearCap'))}
          {count('maxStaysPerYear', t('rules.maxStaysPerYear'), 100)}
          {count('minStayDays', t('rules.minStayDays'), 60)}
          <Col xs={24} md={12}>
            <Form.Item name="requiredDocuments" label={t('rules.requiredDocuments')}>
              <Checkbox.Group options={CLAIM_DOCUMENT_KINDS.map((k) => ({ value: k, label: t(`doc.${k}`) }))} />
            </Form.Item>
          </Col>
          {rulesChanged ? (
            <Col xs={24} md={12}>
              <Form.Item name="rulesFrom" label={t('plan.rulesFrom')} extra={t('plan.rulesFromHint')} rules={required(t('plan.rulesFrom'))}>
                <DateField min={plan?.coverageStart} max={plan?.coverageEnd} />
              </Form.Item>
            </Col>
          ) : null}
        </Row>
        {section(t('plan.reviewLevels'))}
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="reviewLevels" label={t('plan.reviewLevels')} extra={t('plan.reviewLevelsHint')} rules={required(t('plan.reviewLevels'))}>
              <Select mode="multiple" aria-label={t('plan.reviewLevels')} options={[...ORG_LEVELS].reverse().map((l) => ({ value: l, label: tc(LEVEL_LABEL[l]) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="sampling" label={t('plan.sampling')} valuePropName="checked" extra={t('plan.samplingOn')}><Switch aria-label={t('plan.sampling')} /></Form.Item>
          </Col>
          {sampling ? (
            <>
              {money('reviewAbove', t('plan.reviewAbove'))}
              <Col xs={24} sm={12} md={6}><Form.Item name="sampleShare" label={t('plan.sampleShare')} rules={required(t('plan.sampleShare'))}><InputNumber min={0} max={100} precision={0} style={{ width: '100%' }} /></Form.Item></Col>
            </>
          ) : null}
        </Row>
        <Flex gap={8} wrap>
          <Button type="primary" htmlType="submit" loading={save.isPending}>{tc('action.save')}</Button>
          <Button onClick={() => void navigate(-1)}>{tc('action.cancel')}</Button>
        </Flex>
      </Form>
    </Panel>
  );
}
