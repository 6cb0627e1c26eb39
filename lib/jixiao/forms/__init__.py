"""Filled official 自评表 workbooks, read as they are: the inputs side, knowing nothing of the report.

:mod:`jixiao.forms.model` holds what a form says (its header, funds block, goals, indicator rows,
total and grade), each value with the cell it was read from. :mod:`jixiao.forms.reading` finds the
forms in files and folders by their labels (``read``, ``readings``, ``read_workbook``);
:mod:`jixiao.forms.workbooks` opens a file (python-calamine, and a scan of an xlsx's sheet XML) and
says in one line why one cannot be read; :mod:`jixiao.forms.labels` normalises labels and parses
values as forms write them; :mod:`jixiao.forms.samples` writes every layout from plain values.
"""
