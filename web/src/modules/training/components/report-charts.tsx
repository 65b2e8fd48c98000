import { useEffect, useMemo, useRef } from 'react';
import { Col, Grid, Row } from 'antd';
import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { chinaDay } from '../../../shared/i18n/china-time.ts';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { useTrainingT } from '../i18n/use-training-t.ts';
import type { ClassReport } from '../types.ts';
import { clock } from './timetable-tab.tsx';

// Only the parts of ECharts these charts use (tree-shaken), in this lazily loaded chunk.
// SVG: crisp at any pixel density, and its texts are elements (read by screen magnifiers, and the
// browser tests check that none overlaps another or runs out of the chart).
echarts.use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

function Chart({ option, label, height = 320 }: { option: echarts.EChartsCoreOption; label: string; height?: number }) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!element.current) return;
    const chart = echarts.init(element.current, undefined, { renderer: 'svg' });
    chart.setOption(option);
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => { window.removeEventListener('resize', resize); chart.dispose(); };
  }, [option]);
  return <div ref={element} role="img" aria-label={label} style={{ width: '100%', height }} />;
}

/** A session's short name on the axis: its China day and time, and its topic (cut with an ellipsis by the chart when too long). */
const sessionLabel = (s: ClassReport['sessions'][number]) => `${chinaDay(s.startsAt).slice(5)} ${clock(s.startsAt)} ${s.topic}`;

/**
 * Attendance by session and participants by level, readable from a 390 px phone to a desktop:
 * sessions are horizontal bars (their names run along the bars' axis, cut with an ellipsis,
 * never over each other), the legend sits in its own row above the plot, and the donut names
 * its levels in the legend (with the counts) rather than in labels cut at the edge.
 */
export default function ReportCharts({ report, levelName }: { report: ClassReport; levelName: (level: string | null) => string }) {
  const t = useTrainingT();
  const { formatNumber } = useLocale();
  const sessions = report.sessions;
  const phone = !Grid.useBreakpoint().md;
  const labelWidth = phone ? 110 : 220;
  const bySession = useMemo<echarts.EChartsCoreOption>(() => ({
    // Drawn at once: figures are read, not watched growing (and labels are where they end up).
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true },
    legend: { top: 0, left: 0, itemGap: 12, textStyle: { fontSize: 12 } },
    // The plot starts below the legend (two rows of it on a phone), and the names fit on its left.
    grid: { left: 8, right: 24, top: phone ? 56 : 36, bottom: 32, containLabel: true },
    color: ['#c8102e', '#d4380d', '#bfbfbf'],
    yAxis: {
      type: 'category', inverse: true, data: sessions.map(sessionLabel),
      axisLabel: { interval: 0, fontSize: 11, width: labelWidth, overflow: 'truncate', ellipsis: '…' },
    },
    xAxis: { type: 'value', name: t('report.people'), nameLocation: 'middle', nameGap: 26, minInterval: 1, axisLabel: { fontSize: 11, hideOverlap: true } },
    series: [
      { name: t('report.presentOnsite'), type: 'bar', stack: 'present', barMaxWidth: 18, data: sessions.map((s) => s.presentOnsite) },
      { name: t('report.presentLive'), type: 'bar', stack: 'present', barMaxWidth: 18, data: sessions.map((s) => s.presentLive) },
      { name: t('report.expected'), type: 'bar', barMaxWidth: 18, data: sessions.map((s) => s.expectedOnsite + s.expectedLive) },
    ],
  }), [sessions, t, phone, labelWidth]);
  const levels = useMemo(() => report.byLevel.map((g) => ({ name: levelName(g.level), value: g.enrolled })), [report.byLevel, levelName]);
  const byLevel = useMemo<echarts.EChartsCoreOption>(() => ({
    animation: false,
    tooltip: { trigger: 'item', confine: true, formatter: '{b}: {c} ({d}%)' },
    // The names and counts in the legend below (it wraps to as many rows as it needs); the ring shows only the counts.
    legend: {
      // Left and right both set: the legend knows its width and wraps its items into rows within it.
      bottom: 0, left: 0, right: 0, itemGap: 12, textStyle: { fontSize: 12 },
      formatter: (name: string) => `${name}  ${formatNumber(levels.find((l) => l.name === name)?.value ?? 0)}`,
    },
    series: [{
      type: 'pie', radius: ['34%', '56%'], center: ['50%', '38%'], data: levels, avoidLabelOverlap: true,
      // A count on each slice big enough to hold it; the legend has them all.
      label: { show: true, position: 'inside', formatter: (p: { percent: number; value: number }) => (p.percent >= 8 ? formatNumber(p.value) : ''), fontSize: 11, color: '#fff' },
      labelLine: { show: false },
    }],
  }), [levels, formatNumber]);
  const barHeight = Math.max(220, sessions.length * 34 + (phone ? 80 : 60));
  return (
    <Row gutter={24}>
      <Col xs={24} lg={15}><Chart option={bySession} label={t('report.bySession')} height={barHeight} /></Col>
      <Col xs={24} lg={9}><Chart option={byLevel} label={t('report.byLevel')} height={360} /></Col>
    </Row>
  );
}
