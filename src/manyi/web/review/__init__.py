"""推进机构 recommendation, formal review, experts, scoring and level decisions."""
