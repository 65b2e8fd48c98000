import { useEffect, useMemo, useRef } from 'react';
import { Col, Row } from 'antd';
import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useTrainingT } from '../i18n/use-training-t.ts';
import type { ClassReport } from '../types.ts';
import { clock } from './timetable-tab.tsx';

// Only the parts of ECharts these charts use (tree-shaken), in this lazily loaded chunk.
echarts.use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

function Chart({ option, label, height = 320 }: { option: echarts.EChartsCoreOption; label: string; height?: number }) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!element.current) return;
    const chart = echarts.init(element.current);
    chart.setOption(option);
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => { window.removeEventListener('resize', resize); chart.dispose(); };
  }, [option]);
  return <div ref={element} role="img" aria-label={label} style={{ width: '100%', height }} />;
}

/** Attendance by session (stacked on site / live against enrolled) and participants by level. */
export default function ReportCharts({ report, levelName }: { report: ClassReport; levelName: (level: string | null) => string }) {
  const t = useTrainingT();
  const sessions = report.sessions;
  const bySession = useMemo<echarts.EChartsCoreOption>(() => ({
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 40, bottom: 64 },
    color: ['#c8102e', '#d4380d', '#bfbfbf'],
    xAxis: { type: 'category', data: sessions.map((s) => `${s.startsAt.slice(5, 10)} ${clock(s.startsAt)}\n${s.topic.slice(0, 8)}`), axisLabel: { interval: 0, fontSize: 11 } },
    yAxis: { type: 'value', name: t('report.people') },
    series: [
      { name: t('report.presentOnsite'), type: 'bar', stack: 'present', data: sessions.map((s) => s.presentOnsite) },
      { name: t('report.presentLive'), type: 'bar', stack: 'present', data: sessions.map((s) => s.presentLive) },
      { name: t('report.expected'), type: 'bar', data: sessions.map((s) => s.expectedOnsite + s.expectedLive) },
    ],
  }), [sessions, t]);
  const byLevel = useMemo<echarts.EChartsCoreOption>(() => ({
    tooltip: { trigger: 'item' },
    legend: { bottom: 0 },
    series: [{ type: 'pie', radius: ['40%', '68%'], data: report.byLevel.map((g) => ({ name: levelName(g.level), value: g.enrolled })), label: { formatter: '{b}: {c}' } }],
  }), [report.byLevel, levelName]);
  return (
    <Row gutter={24}>
      <Col xs={24} lg={15}><Chart option={bySession} label={t('report.bySession')} /></Col>
      <Col xs={24} lg={9}><Chart option={byLevel} label={t('report.byLevel')} /></Col>
    </Row>
  );
}
