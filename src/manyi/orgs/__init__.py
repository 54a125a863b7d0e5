"""Organisation facts for the application form, without Django.

* :mod:`manyi.orgs.creditcode` — 统一社会信用代码 (GB 32100-2015): normalise, check, derive.
* :mod:`manyi.orgs.industries` — GB/T 4754-2017 门类 and 大类 (国民经济行业分类).
* :mod:`manyi.orgs.sizeclass` — 《统计上大中小微型企业划分办法（2017）》 as data.
* :mod:`manyi.orgs.provider` — the "自动抓取" interface a business-registry lookup can sit behind.
"""
