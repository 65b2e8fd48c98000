/** The demo federation's facts the specs rely on (server/src/demo). */
export const DEMO_PASSWORD = 'WorkersHome2026';
export const ZHONGMOU = '中牟县总工会';
export const ZHONGMOU_HOSPITAL_UNION = '中牟县人民医院工会';
export const SHANGHAI = '上海市总工会';
export const ACFTU = '中华全国总工会';
export const HENAN = '河南省总工会';
export const ZHENGZHOU = '郑州市总工会';
