/** The figures (statistics) module: its words in Chinese (terms from GLOSSARY.md), as ICU messages. */
export const figuresZhCN = {
  'figures.training.title': '培训覆盖',
  'figures.training.enrolledOnsite': '线下参训',
  'figures.training.enrolledLive': '线上（直播）参训',
  'figures.training.withdrawn': '已退出',
  'figures.training.certified': '有效结业证书',
  'figures.training.note': '本组织及全部下级组织的学员在各培训班的名额，按学员所在组织统计；一人参加两个班计两次。证书不含已撤销的。',

  'ageBand.-30': '30 岁及以下',
  'ageBand.31-40': '31–40 岁',
  'ageBand.41-50': '41–50 岁',
  'ageBand.51-60': '51–60 岁',
  'ageBand.61-': '61 岁及以上',
};

export type FiguresMessageKey = keyof typeof figuresZhCN;
