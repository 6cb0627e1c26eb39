"""jixiao: a department's budget data for a year, turned into its 绩效自评报告."""

__version__ = "0.1.0"
