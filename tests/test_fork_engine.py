"""A section notebook run in a child of the kernel template (``execution.ForkEngine``) gives the
executed notebook a kernel started the usual way gives: the same outputs, cell by cell (streams,
display data, execution results and counts, the error that stops it), and the same failure."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from papermill.exceptions import PapermillExecutionError

from jixiao.engine import execution, kernels

CELLS = [
    ("code", "x = 1  # parameter", ["parameters"]),
    ("code", 'print("一", x)\nprint("二")', []),
    ("code", 'import sys\nsys.stderr.write("错\\n")\nprint("后")', []),
    ("markdown", "## 小结", []),
    ("code", 'from IPython.display import HTML, display\ndisplay(HTML("<b>粗</b>"))\n40 + x + 1', []),
    ("code", "", []),
    ("code", '{"数": [1, 2], "x": x}', []),
    ("code", 'from IPython.display import Image\nImage(data=b"\\x89PNG\\r\\n\\x1a\\n", format="png")', []),
    ("code", 'print("前")\nraise ValueError("坏的输入")', []),
    ("code", 'print("不会执行")', []),
]


def notebook(path: Path, cells_: list[tuple[str, str, list[str]]] = CELLS) -> Path:
    cells = []
    for kind, source, tags in cells_:
        make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
        cells.append(make(source, metadata={"tags": tags}))
    nb = nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "language": "python",
                                                                         "display_name": "Python 3"}})  # fmt: skip
    path.write_text(nbformat.writes(nb), encoding="utf-8")
    return path


def run(source: Path, executed: Path) -> tuple[PapermillExecutionError, list[dict]]:
    import papermill

    execution._register_engine()
    with pytest.raises(PapermillExecutionError) as failed:
        papermill.execute_notebook(str(source), str(executed), parameters={"x": 2}, kernel_name="python3",
                                   engine_name=execution.ENGINE, progress_bar=False,
                                   resources={"metadata": {"path": str(source.parent)}},
                                   kernel_manager_class=kernels.KernelManager, shutdown_kernel="immediate",
                                   request_save_on_cell_execute=False)  # fmt: skip
    cells = nbformat.reads(executed.read_text(encoding="utf-8"), as_version=4).cells  # lines joined
    shown = []
    for cell in cells:
        outputs = []
        for output in cell.get("outputs", []):
            if output["output_type"] == "error":  # the traceback's text: colours and the cell's file name
                assert output["traceback"] and all(isinstance(line, str) for line in output["traceback"])
                output = {k: v for k, v in output.items() if k != "traceback"}
            outputs.append(dict(output))
        shown.append((cell.cell_type, cell.get("execution_count"), cell.source.splitlines()[:1], outputs))
    return failed.value, shown


def test_a_notebook_forked_from_the_template_gives_what_a_kernel_gives(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("JIXIAO_RUNTIME_DIR", str(tmp_path))  # the usual kernel's sockets and connection file
    source = notebook(tmp_path / "section.ipynb")
    usual_error, usual = run(source, tmp_path / "usual.ipynb")  # no template: nbclient, a kernel of its own
    with kernels.Zygote.start(tmp_path):
        forked_error, forked = run(source, tmp_path / "forked.ipynb")
    assert forked == usual
    assert (forked_error.cell_index, forked_error.exec_count, forked_error.ename, forked_error.evalue) == (
        usual_error.cell_index, usual_error.exec_count, usual_error.ename, usual_error.evalue)  # fmt: skip
    assert (forked_error.exec_count, forked_error.ename, forked_error.evalue) == (8, "ValueError", "坏的输入")
    # the executed notebook: papermill's notice of the error first, its parameters after the notebook's own
    result = {"output_type": "execute_result", "metadata": {}}
    assert [(kind, count, first) for kind, count, first, _ in forked] == [
        ("markdown", None, ['<span style="color:red; font-family:Helvetica Neue, Helvetica, Arial, sans-serif; '
                            "font-size:2em;\">An Exception was encountered at "
                            "'<a href=\"#papermill-error-cell\">In [8]</a>'.</span>"]),
        ("code", 1, ["x = 1  # parameter"]),
        ("code", 2, ["# Parameters"]),
        ("code", 3, ['print("一", x)']),
        ("code", 4, ["import sys"]),
        ("markdown", None, ["## 小结"]),
        ("code", 5, ["from IPython.display import HTML, display"]),
        ("code", None, []),
        ("code", 6, ['{"数": [1, 2], "x": x}']),
        ("code", 7, ["from IPython.display import Image"]),
        ("markdown", None, ['<span id="papermill-error-cell" style="color:red; font-family:Helvetica Neue, '
                            'Helvetica, Arial, sans-serif; font-size:2em;">Execution using papermill encountered an '
                            "exception here and stopped:</span>"]),
        ("code", 8, ['print("前")']),
        ("code", None, ['print("不会执行")']),
    ]  # fmt: skip
    assert [outputs for kind, _, _, outputs in forked if kind == "code"] == [
        [],
        [],
        [{"output_type": "stream", "name": "stdout", "text": "一 2\n二\n"}],
        [{"output_type": "stream", "name": "stdout", "text": "后\n"},  # the kernel's streams: output first
         {"output_type": "stream", "name": "stderr", "text": "错\n"}],
        [{"output_type": "display_data", "metadata": {},
          "data": {"text/html": "<b>粗</b>", "text/plain": "<IPython.core.display.HTML object>"}},
         {**result, "execution_count": 5, "data": {"text/plain": "43"}}],
        [],
        [{**result, "execution_count": 6, "data": {"text/plain": "{'数': [1, 2], 'x': 2}"}}],
        [{**result, "execution_count": 7,  # an image's bytes in base64, as a kernel's session sends them
          "data": {"image/png": "iVBORw0KGgo=", "text/plain": "<IPython.core.display.Image object>"}}],
        [{"output_type": "stream", "name": "stdout", "text": "前\n"},
         {"output_type": "error", "ename": "ValueError", "evalue": "坏的输入"}],
        [],
    ]  # fmt: skip


def test_a_syntax_error_is_told_as_a_kernel_tells_it(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The cell's file name in the message, as a kernel names its cells (``ipykernel.compiler``)."""
    monkeypatch.setenv("JIXIAO_RUNTIME_DIR", str(tmp_path))
    source = notebook(tmp_path / "section.ipynb", [("code", "x = 1", ["parameters"]), ("code", "y = (", [])])
    usual_error, _ = run(source, tmp_path / "usual.ipynb")
    with kernels.Zygote.start(tmp_path):
        forked_error, _ = run(source, tmp_path / "forked.ipynb")
    assert (forked_error.ename, forked_error.evalue) == (usual_error.ename, usual_error.evalue)
    assert (forked_error.ename, forked_error.evalue) == ("SyntaxError", "incomplete input (1091951826.py, line 1)")
