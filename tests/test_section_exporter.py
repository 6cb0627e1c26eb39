"""The section exporter (``jixiao.render.html._exporter_class``) copies the part of nbconvert's
``HTMLExporter.from_notebook_node`` before its BeautifulSoup pass. nbconvert is pinned; these
tests fail on a version whose method is not the one copied, so an upgrade re-checks the copy."""

from __future__ import annotations

import hashlib
import inspect

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from jixiao.render import html as stitching

COPIED_FROM = "7.17.2"
COPIED_SOURCE = "3dccafff45cc4e749766089c7de2f5385ac071e03f4f5a15bfb3b025f54893b9"
"""SHA-256 of ``inspect.getsource(HTMLExporter.from_notebook_node)`` in nbconvert 7.17.2."""
RECHECK = (
    "nbconvert's HTMLExporter.from_notebook_node is not the one SectionExporter "
    "(jixiao/render/html.py, _exporter_class) was copied from (nbconvert {copied}; installed: {installed}). "
    "Compare the two: SectionExporter must do everything the new method does before its BeautifulSoup pass "
    "(the filters it registers, the resources it sets, the parent method it calls), and nothing after it. "
    "Then update COPIED_FROM and COPIED_SOURCE here ({digest})."
)


def test_the_copied_method_is_nbconverts_own():
    import nbconvert
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter

    digest = hashlib.sha256(inspect.getsource(HTMLExporter.from_notebook_node).encode()).hexdigest()
    message = RECHECK.format(copied=COPIED_FROM, installed=nbconvert.__version__, digest=digest)
    assert digest == COPIED_SOURCE, message
    # the copy calls TemplateExporter.from_notebook_node where HTMLExporter's calls super(): the same
    assert HTMLExporter.__mro__[1] is TemplateExporter, message


def test_a_section_renders_as_html_exporter_renders_it_but_for_the_soup_pass():
    """HTMLExporter's output is this exporter's passed through BeautifulSoup (which changes nothing
    else when every image has its alt text): the copy leaves out that pass and nothing more."""
    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    markdown = "## 总体情况\n\n文字 & <b>粗</b>\n\n| 项目 | 金额 |\n|---|---|\n| 甲 | 1.00 |\n\n```python\nx = 1\n```"
    table = {"text/html": "<table><tr><td>1<br></td></tr></table>", "text/plain": "table"}
    image = {"image/png": "iVBORw0KGgo=", "text/plain": "图"}
    outputs = [
        new_output("display_data", data=table),
        new_output("display_data", data=image, metadata={"image/png": {"alt": "图"}}),
        new_output("stream", name="stdout", text="<说明> & 备注\n"),
        new_output("execute_result", data={"text/plain": "42"}, execution_count=1),
    ]
    cells = [
        new_markdown_cell(markdown),
        new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
        new_code_cell("show()", outputs=outputs),
    ]
    notebook = new_notebook(cells=cells, metadata={"language_info": {"name": "python", "pygments_lexer": "ipython3"}})
    stitcher = stitching.Stitcher()
    ours, _ = stitcher.exporter.from_notebook_node(notebook)
    traits = ("template_name", "exclude_input", "exclude_input_prompt", "exclude_output_prompt",
              "exclude_anchor_links", "optimistic_validation")  # fmt: skip
    theirs = HTMLExporter(**{name: getattr(stitcher.exporter, name) for name in traits})
    remove = TagRemovePreprocessor(remove_cell_tags=stitching.HIDDEN_TAGS, enabled=True)
    theirs.register_preprocessor(remove, enabled=True)
    html, _ = theirs.from_notebook_node(notebook)
    assert 'alt="图"' in ours  # else the soup pass would add alt text, and the two differ by it
    assert html == str(BeautifulSoup(ours, features="html.parser"))
