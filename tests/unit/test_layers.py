"""app/ is the Qt-free core: it never imports PySide6 or ui/ (directly or indirectly)."""

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_module_in_app_imports_qt_or_ui() -> None:
    offenders = []
    for path in (ROOT / "app").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in ("PySide6", "ui", "PyQt6", "shiboken6"):
                    offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert not offenders


def test_importing_every_core_module_loads_no_qt() -> None:
    code = (
        "import sys, pkgutil, importlib, app\n"
        "for m in pkgutil.walk_packages(app.__path__, 'app.'):\n"
        "    if '.migrations' not in m.name: importlib.import_module(m.name)\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'ui.')) or m == 'ui']\n"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_the_window_never_holds_the_database() -> None:
    """Every read and write goes through a service; only the composition root opens the file."""
    offenders = []
    for path in (ROOT / "ui").rglob("*.py"):
        if path.name == "main.py" and path.parent.name == "ui":
            continue
        text = path.read_text(encoding="utf-8")
        for needle in ("services.db", "Database(", "app.db"):
            if needle in text:
                offenders.append(f"{path.relative_to(ROOT)}: {needle}")
    assert not offenders


def test_only_the_operation_runner_announces_changes() -> None:
    """Pages, dialogs and widgets run their changes through ui/workers.py's run_op, which
    announces them once with who asked; only the composition root announces by itself (a
    restored or new database, the backups). Nothing else emits on the data bus by hand."""
    allowed = {"ui/workers.py", "ui/events.py", "ui/main.py"}
    pattern = re.compile(r"emit_changes\(|\bbus\.changed\.emit\(")
    offenders = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line) and name not in allowed:
                offenders.append(f"{name}:{number}: {line.strip()}")
    assert not offenders


def test_background_work_goes_through_the_workers_module() -> None:
    """One way to run work off the window's thread (ui/workers.py), so no failure there is
    swallowed: no other module in ui/ starts threads, QThreads or thread pools of its own."""
    pattern = re.compile(r"threading\.Thread\(|\bQThread\b|QThreadPool\(|\bQRunnable\b")
    offenders = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name == "ui/workers.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{name}:{number}: {line.strip()}")
    assert not offenders
