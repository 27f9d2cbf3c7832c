"""The apps are layers, and every import points down.

Every .py file of the project's apps is read with ``ast`` (nothing is imported), and each import
in it becomes an arrow from its app to the imported app: ``import`` and ``from ... import`` at
any depth (inside functions and ``if TYPE_CHECKING:`` too), ``importlib.import_module("...")``,
and the dotted strings Django resolves later (``include("photos.urls")``, ``import_string``,
``apps.get_model("articles.Article")``, a relation to ``"workflow.Autosave"``). An arrow must
go to the same app or to a lower layer. ``newsroom`` is the wiring (settings, URLs, WSGI/ASGI):
it may import any app and no app may import it (settings are read through
``django.conf.settings``). Module-level import cycles are refused even inside one app, and so
is an import of another app placed inside a function, which is how a cycle used to be hidden.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Lowest first. Apps on one layer do not import each other.
LAYERS = [
    ("core", "articles"),
    ("photos",),
    ("frontpage",),
    ("workflow",),
    ("frontcache",),
    ("api", "audit"),
    ("operations", "benchmarks"),
]
RANK = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}
WIRING = "newsroom"
PROJECT = {*RANK, WIRING}
# What newsroom/ may hold: Django's wiring and the date formats it points FORMAT_MODULE_PATH at.
WIRING_FILES = {"__init__.py", "settings.py", "urls.py", "wsgi.py", "asgi.py"}
WIRING_FOLDERS = {"formats"}

# Calls whose first argument (or ``to=``) names a module or a model by a string.
MODULE_CALLS = {"import_module", "import_string", "include"}
MODEL_CALLS = {"get_model", "ForeignKey", "OneToOneField", "ManyToManyField"}


@dataclass(frozen=True)
class Arrow:
    path: str  # relative to the project root
    line: int
    source: str  # the importing module
    target: str  # a module, or "app.Model" for a model named by a string
    in_function: bool
    by_label: bool = False  # the target is a model label, not a module

    @property
    def source_app(self):
        return self.source.split(".")[0]

    @property
    def target_app(self):
        return self.target.split(".")[0]

    def __str__(self):
        where = " (inside a function)" if self.in_function else ""
        return (
            f"{self.path}:{self.line}: {self.source_app} -> {self.target_app} "
            f"({self.source} imports {self.target}){where}"
        )


def module_name(root, path):
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _call_name(node):
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def _named_string(node):
    """The string a call names its module or model with: first argument or ``to=``."""
    candidates = [*node.args[:1], *(k.value for k in node.keywords if k.arg == "to")]
    for candidate in candidates:
        if isinstance(candidate, ast.Constant) and isinstance(candidate.value, str):
            return candidate.value
    return None


class _Collector(ast.NodeVisitor):
    def __init__(self, module, is_package, path):
        self.module = module
        self.package = module if is_package else module.rpartition(".")[0]
        self.path = path
        self.depth = 0  # functions we are inside
        self.found = []

    def _add(self, line, target, by_label=False):
        self.found.append((line, target, self.depth > 0, by_label))

    def _function(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_Import(self, node):
        for alias in node.names:
            self._add(node.lineno, alias.name)

    def visit_ImportFrom(self, node):
        if node.level:
            base = self.package.split(".") if self.package else []
            base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
            prefix = ".".join([*base, *([node.module] if node.module else [])])
        else:
            prefix = node.module
        for alias in node.names:
            # "from pkg import name": the module pkg.name if there is one, else pkg itself
            # (resolved against the files later).
            self._add(node.lineno, f"{prefix}.{alias.name}" if alias.name != "*" else prefix)

    def visit_Call(self, node):
        name = _call_name(node)
        value = _named_string(node) if name in MODULE_CALLS | MODEL_CALLS else None
        if value and "." in value:
            if name in MODEL_CALLS:
                self._add(node.lineno, value, by_label=True)
            else:
                self._add(node.lineno, value)
        self.generic_visit(node)


def collect(root, apps):
    """Every arrow out of the .py files of ``apps`` under ``root`` whose target is one of them,
    and the set of module names found."""
    files = {}
    for app in sorted(apps):
        for path in sorted((root / app).rglob("*.py")):
            files[module_name(root, path)] = path
    arrows = []
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        collector = _Collector(module, path.name == "__init__.py", path)
        collector.visit(tree)
        for line, target, in_function, by_label in collector.found:
            if target.split(".")[0] not in apps:
                continue
            if not by_label:
                target = _resolve(target, files)
            relative = path.relative_to(root).as_posix()
            arrows.append(Arrow(relative, line, module, target, in_function, by_label))
    # Two names from one module on one line are one arrow.
    return list(dict.fromkeys(arrows)), set(files)


def _resolve(target, modules):
    """The longest prefix of a dotted name that is a module of ours (``pkg.name`` -> ``pkg``
    when ``name`` is a class or function defined in ``pkg``)."""
    parts = target.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return target


def wrong_way(arrows, rank=RANK, wiring=WIRING):
    """Arrows from an app to an app that is not below it (or to the wiring)."""
    bad = []
    for arrow in arrows:
        source, target = arrow.source_app, arrow.target_app
        if source == target or source == wiring:
            continue
        if target == wiring or rank[target] >= rank[source]:
            bad.append(arrow)
    return bad


def hidden_in_functions(arrows):
    """Imports of another app of ours written inside a function (app-label strings aside: a
    ``get_model("app.Model")`` at run time is Django's way, not a hidden import)."""
    return [
        arrow
        for arrow in arrows
        if arrow.in_function and not arrow.by_label and arrow.source_app != arrow.target_app
    ]


def cycles(arrows):
    """Import cycles between modules (strongly connected components with more than one
    module, or a module importing itself), each as a sorted list of its arrows."""
    graph = {}
    for arrow in arrows:
        if arrow.by_label or arrow.source == arrow.target:
            continue
        graph.setdefault(arrow.source, set()).add(arrow.target)
        graph.setdefault(arrow.target, set())
    index, low, stack, on_stack, components = {}, {}, [], set(), []
    counter = [0]

    def visit(node):  # Tarjan's algorithm, iteratively (deep chains exceed the recursion limit)
        work = [(node, iter(sorted(graph[node])))]
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        while work:
            current, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[current] = min(low[current], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[current])
            if low[current] == index[current]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == current:
                        break
                if len(component) > 1:
                    components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [
        sorted(
            (a for a in arrows if a.source in c and a.target in c and not a.by_label),
            key=lambda a: (a.path, a.line),
        )
        for c in components
    ]


def _report(title, arrows):
    return title + "\n" + "\n".join(f"  {arrow}" for arrow in arrows)


@pytest.fixture(scope="module")
def project_arrows():
    arrows, modules = collect(ROOT, PROJECT)
    assert len(modules) > 100 and arrows  # the walk found the project, not an empty folder
    return arrows


def test_every_app_of_ours_has_a_layer():
    packages = {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in {"tests", "node_modules"}
    }
    assert packages == PROJECT, (
        f"apps without a layer in tests/test_layers.py: {sorted(packages - PROJECT)}; "
        f"layers without an app: {sorted(PROJECT - packages)}"
    )


def test_imports_point_down_the_layers(project_arrows):
    bad = wrong_way(project_arrows)
    order = " < ".join("/".join(apps) for apps in LAYERS)
    assert not bad, _report(f"imports against the layers ({order}; {WIRING} on top):", bad)


def test_no_import_cycles(project_arrows):
    found = cycles(project_arrows)
    assert not found, "\n".join(_report("import cycle:", cycle) for cycle in found)


def test_no_import_of_another_app_inside_a_function(project_arrows):
    bad = hidden_in_functions(project_arrows)
    assert not bad, _report("imports of another app inside a function (move them up):", bad)


def test_newsroom_holds_only_the_wiring():
    extra = sorted(
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / WIRING).iterdir()
        if path.name != "__pycache__"
        and not (path.is_file() and path.name in WIRING_FILES)
        and not (path.is_dir() and path.name in WIRING_FOLDERS)
    )
    assert not extra, f"newsroom/ is settings, URLs, WSGI/ASGI and formats only; also: {extra}"


# -- the checker itself, on a small made-up project -------------------------------------------


def _write(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def toy(tmp_path):
    _write(
        tmp_path,
        {
            "low/__init__.py": "",
            "low/models.py": "from django.db import models\n",
            "low/helpers.py": "from . import models\nfrom .models import *\n",
            "high/__init__.py": "",
            "high/views.py": "from low.models import Thing\nfrom low import helpers\n",
        },
    )
    return tmp_path


def _check(root):
    arrows, _ = collect(root, {"low", "high", "wire"})
    rank = {"low": 0, "high": 1}
    return arrows, wrong_way(arrows, rank, "wire")


def test_checker_accepts_arrows_that_point_down(toy):
    arrows, bad = _check(toy)
    assert {(a.source, a.target) for a in arrows} == {
        ("low.helpers", "low.models"),
        ("high.views", "low.models"),
        ("high.views", "low.helpers"),
    }
    assert bad == [] and cycles(arrows) == [] and hidden_in_functions(arrows) == []


@pytest.mark.parametrize(
    "code",
    [
        "import high.views\n",
        "from high import views\n",
        "def f():\n    from high.views import x\n",
        "import importlib\nm = importlib.import_module('high.views')\n",
        "from django.urls import include\nurls = include('high.views')\n",
        "from django.apps import apps\nModel = apps.get_model('high.Thing')\n",
        "from django.db import models\nx = models.ForeignKey('high.Thing', on_delete=None)\n",
        "import wire.settings\n",
    ],
)
def test_checker_refuses_an_arrow_up_however_it_is_written(toy, code):
    _write(toy, {"low/bad.py": code, "wire/__init__.py": "", "wire/settings.py": ""})
    _, bad = _check(toy)
    assert [(a.path, a.source_app) for a in bad] == [("low/bad.py", "low")]
    assert str(bad[0]).startswith("low/bad.py:")


def test_checker_finds_a_cycle_hidden_in_a_function(toy):
    _write(
        toy,
        {
            "high/a.py": "from . import b\n",
            "high/b.py": "def later():\n    from high import a\n",
            "high/c.py": "from high import views\n",
            "low/other.py": "def f():\n    import high.a\n",
        },
    )
    arrows, _ = _check(toy)
    found = cycles(arrows)
    assert [[(a.source, a.target) for a in cycle] for cycle in found] == [
        [("high.a", "high.b"), ("high.b", "high.a")]
    ]
    assert [a.path for a in hidden_in_functions(arrows)] == ["low/other.py"]
