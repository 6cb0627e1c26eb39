"""Filled official 自评表 workbooks, read as they are: the inputs side, knowing nothing of the report.

:mod:`jixiao.forms.model` holds what a form says (its header, funds block, goals, indicator rows,
total and grade), each value with the cell it was read from.
"""
