import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import type { FiguresTrend } from '@workers-home/contract';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import type { ChartOption } from '../../../shared/ui/chart.tsx';
import { LoadingBlock } from '../../../shared/ui/states.tsx';

// ECharts loads with the chart, after the page's figures have painted.
const Chart = lazy(() => import('../../../shared/ui/chart.tsx'));

/** Active members at each month's end (a line) over members joined and left in the month (bars). */
export function MemberTrendChart({ trend }: { trend: FiguresTrend }) {
  const { t, locale } = useLocale();
  const option = useMemo<ChartOption>(() => {
    const monthName = new Intl.DateTimeFormat(locale, { month: 'short', timeZone: 'UTC' });
    const withYear = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', timeZone: 'UTC' });
    const labels = trend.months.map(({ month }, i) => {
      const date = new Date(`${month}-01T00:00:00Z`);
      return (i === 0 || month.endsWith('-01') ? withYear : monthName).format(date);
    });
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, left: 'center', itemGap: 12 },
      grid: { left: 8, right: 8, top: 48, bottom: 8, containLabel: true },
      color: ['#c8102e', '#52c41a', '#8c8c8c'],
      xAxis: { type: 'category', data: labels, axisLabel: { hideOverlap: true } },
      yAxis: [
        { type: 'value', scale: true, splitNumber: 4, axisLabel: { hideOverlap: true } },
        { type: 'value', minInterval: 1, splitNumber: 4, splitLine: { show: false }, axisLabel: { hideOverlap: true } },
      ],
      series: [
        { name: t('home.trend.active'), type: 'line', smooth: true, data: trend.months.map((m) => m.activeAtEnd), symbolSize: 6 },
        { name: t('home.trend.joined'), type: 'bar', yAxisIndex: 1, data: trend.months.map((m) => m.joined), barMaxWidth: 14 },
        { name: t('home.trend.ended'), type: 'bar', yAxisIndex: 1, data: trend.months.map((m) => m.ended), barMaxWidth: 14 },
      ],
    };
  }, [trend, t, locale]);
  // ECharts is the heaviest part of the page: fetched once the page has painted and the browser is idle.
  const [idle, setIdle] = useState(false);
  useEffect(() => {
    const start = () => setIdle(true);
    if ('requestIdleCallback' in window) {
      const handle = window.requestIdleCallback(start, { timeout: 1500 });
      return () => window.cancelIdleCallback(handle);
    }
    const timer = setTimeout(start, 200);
    return () => clearTimeout(timer);
  }, []);
  const loading = <LoadingBlock rows={5} minHeight={280} />;
  return idle ? (
    <Suspense fallback={loading}>
      <Chart option={option} label={t('home.trend.label')} height={280} />
    </Suspense>
  ) : loading;
}
