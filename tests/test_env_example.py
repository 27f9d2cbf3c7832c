"""The project's own documentation keeps up with its code.

- `.env.example` lists exactly the environment variables the project's Python code reads, and
  `docs/settings.md` documents each of them;
- `docs/operations.md` documents every management command and each of its options;
- README.md and docs/ link only to files that exist inside the repository, and the README stays
  a front door (short, pointing into docs/).

The code is read with `ast`, not imported, so a setting read in a module nothing imports yet
(a deploy script, a benchmark) still counts. Helpers such as settings.py's `env_bool(name)` are
recognised by what they do (a function that reads the environment under one of its
parameters), not by their names, so a new helper needs no change here.
"""

import ast
import os
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Folders that are not the project's code: environments, tools, generated files, and tests
# (which set variables for the code under test rather than read settings of their own).
SKIPPED_FOLDERS = {
    ".git",
    ".venv",
    "venv",
    "node_modules",
    "tests",
    "migrations",
    "build",
    "artifacts",
    "media",
    "staticfiles",
}
ENV_EXAMPLE = ROOT / ".env.example"
SETTINGS_DOC = ROOT / "docs" / "settings.md"
OPERATIONS_DOC = ROOT / "docs" / "operations.md"
README = ROOT / "README.md"
README_MAX_CHARACTERS = 12_000
DOCS_THE_README_LINKS = (
    "workflow.md",
    "api.md",
    "security.md",
    "operations.md",
    "settings.md",
    "search.md",
    "scaling.md",
)


@dataclass(frozen=True)
class Read:
    name: str | None  # None: the variable's name is computed, so it cannot be checked
    where: str


def project_python_files():
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = sorted(
            name for name in subfolders if name not in SKIPPED_FOLDERS and not name.startswith(".")
        )
        for name in sorted(files):
            if name.endswith(".py"):
                yield Path(folder, name)


def _called_name(call):
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _argument(call, index, keyword):
    if len(call.args) > index and not any(isinstance(a, ast.Starred) for a in call.args):
        return call.args[index]
    for item in call.keywords:
        if item.arg == keyword:
            return item.value
    return None


class _EnvironmentReads(ast.NodeVisitor):
    """Finds the environment reads of one module.

    `helpers` maps a function name to (index, name) of the parameter it reads the environment
    under; calls to those functions are reads of their argument. A function that reads the
    environment (or calls a helper) with one of its own parameters is recorded in
    `new_helpers` instead of being reported as a read of a computed name.
    """

    def __init__(self, label, helpers):
        self.label = label
        self.helpers = helpers
        self.reads = []
        self.new_helpers = {}
        self.functions = []
        # Local names bound by `from os import environ, getenv` (a WSGI application's own
        # `environ` parameter is the request, not the process environment).
        self.os_names = {}

    def visit_ImportFrom(self, node):
        if node.module == "os":
            for alias in node.names:
                self.os_names[alias.asname or alias.name] = alias.name

    def _is_os(self, node, attribute):
        if isinstance(node, ast.Attribute):
            return (
                node.attr == attribute
                and isinstance(node.value, ast.Name)
                and node.value.id == "os"
            )
        return isinstance(node, ast.Name) and self.os_names.get(node.id) == attribute

    def visit_FunctionDef(self, node):
        self.functions.append(node)
        self.generic_visit(node)
        self.functions.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def _key(self, node, where):
        if node is None:
            return
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            self.reads.append(Read(node.value, where))
            return
        if isinstance(node, ast.Name) and self.functions:
            function = self.functions[-1]
            parameters = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
            parameters += [a.arg for a in function.args.kwonlyargs]
            if node.id in parameters:
                self.new_helpers[function.name] = (parameters.index(node.id), node.id)
                return
        self.reads.append(Read(None, where))

    def visit_Call(self, node):
        where = f"{self.label}:{node.lineno}"
        function = node.func
        name = _called_name(node)
        if isinstance(function, ast.Attribute) and self._is_os(function.value, "environ"):
            # setdefault() gives a default to code that reads later (DJANGO_SETTINGS_MODULE);
            # the later read is what counts.
            if function.attr == "get":
                self._key(_argument(node, 0, "key"), where)
        elif self._is_os(function, "getenv"):
            self._key(_argument(node, 0, "key"), where)
        elif (
            isinstance(function, ast.Attribute)
            and function.attr == "config"
            and isinstance(function.value, ast.Name)
            and function.value.id == "dj_database_url"
        ):
            # dj-database-url reads DATABASE_URL unless told another name.
            env = _argument(node, 0, "env")
            self._key(env if env is not None else ast.Constant("DATABASE_URL"), where)
        elif name in self.helpers:
            index, keyword = self.helpers[name]
            self._key(_argument(node, index, keyword), where)
        self.generic_visit(node)

    def visit_Subscript(self, node):
        if isinstance(node.ctx, ast.Load) and self._is_os(node.value, "environ"):
            self._key(node.slice, f"{self.label}:{node.lineno}")
        self.generic_visit(node)

    def visit_Compare(self, node):
        if (
            len(node.ops) == 1
            and isinstance(node.ops[0], (ast.In, ast.NotIn))
            and self._is_os(node.comparators[0], "environ")
        ):
            self._key(node.left, f"{self.label}:{node.lineno}")
        self.generic_visit(node)


def environment_reads(sources):
    """Every environment read in `sources` ({label: Python source}), helpers followed."""
    trees = {label: ast.parse(source) for label, source in sources.items()}
    helpers = {}
    while True:
        reads, found = [], {}
        for label, tree in trees.items():
            visitor = _EnvironmentReads(label, helpers)
            visitor.visit(tree)
            reads += visitor.reads
            found.update(visitor.new_helpers)
        if found.keys() <= helpers.keys():
            return reads
        helpers.update(found)


def project_environment_reads():
    sources = {
        str(path.relative_to(ROOT)): path.read_text(encoding="utf-8")
        for path in project_python_files()
    }
    return environment_reads(sources)


def env_example_names():
    """Names in .env.example: `NAME=value` lines, and `# NAME=value` for optional ones whose
    default cannot be written as a fixed value (it is computed when unset)."""
    names = []
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        found = re.match(r"\s*#?\s*([A-Z][A-Z0-9_]*)=", line)
        if found:
            names.append(found.group(1))
    return names


def test_the_scanner_finds_every_way_of_reading_the_environment():
    source = """
import os
from os import environ, getenv
import dj_database_url

def env_number(key, default=0):
    return int(os.environ.get(key, default))

def env_flag(name):
    return env_number(name) == 1

A = os.environ.get("A_GET")
B = os.environ["B_SUBSCRIPT"]
C = os.getenv("C_GETENV", "x")
D = "D_IN" in os.environ
E = environ.get("E_BARE")
F = getenv("F_BARE")
G = env_number("G_HELPER", 3)
H = env_flag(name="H_HELPER_OF_HELPER")
I = dj_database_url.config(conn_max_age=60)
J = dj_database_url.config(env="J_DATABASE")
os.environ.setdefault("NOT_A_READ", "1")
os.environ["NOT_A_READ_EITHER"] = "1"
K = os.environ.get(f"K_{A}")
"""
    # A WSGI application's `environ` is the request; a helper is followed into other modules.
    wsgi = (
        'def app(environ, start):\n    return environ.get("REQUEST_METHOD"), env_number("L_USE")\n'
    )
    reads = environment_reads({"example.py": source, "wsgi.py": wsgi})
    assert {read.name for read in reads} == {
        "A_GET",
        "B_SUBSCRIPT",
        "C_GETENV",
        "D_IN",
        "E_BARE",
        "F_BARE",
        "G_HELPER",
        "H_HELPER_OF_HELPER",
        "DATABASE_URL",
        "J_DATABASE",
        "L_USE",
        None,  # the f-string
    }
    assert [read.where for read in reads if read.name is None] == ["example.py:24"]


def test_every_environment_read_names_its_variable():
    computed = [read.where for read in project_environment_reads() if read.name is None]
    assert not computed, (
        "These environment reads compute the variable's name, so .env.example cannot be "
        "checked against them; read each setting by its literal name: " + ", ".join(computed)
    )


def test_env_example_lists_every_setting_the_code_reads():
    listed = set(env_example_names())
    missing = {}
    for read in project_environment_reads():
        if read.name and read.name not in listed:
            missing.setdefault(read.name, []).append(read.where)
    assert not missing, "Settings read by the code but missing from .env.example: " + "; ".join(
        f"{name} (read at {', '.join(places)})" for name, places in sorted(missing.items())
    )


def test_env_example_lists_only_settings_the_code_reads():
    read = {read.name for read in project_environment_reads()}
    names = env_example_names()
    unread = sorted(set(names) - read)
    assert not unread, "Listed in .env.example but never read by the code: " + ", ".join(unread)
    repeated = sorted({name for name in names if names.count(name) > 1})
    assert not repeated, "Listed more than once in .env.example: " + ", ".join(repeated)


def test_settings_doc_documents_every_setting():
    text = SETTINGS_DOC.read_text(encoding="utf-8")
    names = {read.name for read in project_environment_reads() if read.name}
    undocumented = sorted(name for name in names if f"`{name}`" not in text)
    assert not undocumented, "Not documented in docs/settings.md: " + ", ".join(undocumented)


def management_commands():
    """{command name: [its --options]} for every management command of the project."""
    commands = {}
    for path in project_python_files():
        if path.parent.name != "commands" or path.parent.parent.name != "management":
            continue
        if path.name.startswith("_"):
            continue
        options = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _called_name(node) == "add_argument":
                options += [
                    arg.value
                    for arg in node.args
                    if isinstance(arg, ast.Constant)
                    and isinstance(arg.value, str)
                    and arg.value.startswith("--")
                ]
        commands[path.stem] = options
    return commands


def markdown_sections(text):
    """[(heading, body)] of a Markdown page; a `#` inside a fenced code block is no heading."""
    sections, fenced = [("", [])], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and re.match(r"#{1,6} ", line):
            sections.append((line, []))
        else:
            sections[-1][1].append(line)
    return [(heading, "\n".join(body)) for heading, body in sections]


def test_operations_doc_documents_every_command_and_option():
    sections = markdown_sections(OPERATIONS_DOC.read_text(encoding="utf-8"))
    commands = management_commands()
    assert {"load_demo", "ensure_admin", "backup"} <= commands.keys()
    gaps = []
    for command, options in sorted(commands.items()):
        named = re.compile(rf"`{re.escape(command)}\b[^`]*`")
        found = [body for heading, body in sections if named.search(heading)]
        if not found:
            gaps.append(f"{command} (no heading naming it)")
            continue
        gaps += [f"{command} {option}" for option in options if f"`{option}" not in found[0]]
    assert not gaps, "Not documented in docs/operations.md: " + ", ".join(gaps)


def markdown_files():
    return [README, *sorted((ROOT / "docs").rglob("*.md"))]


LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s*\[[^\]]+\]:\s*(\S+)", re.MULTILINE)
AUTOLINK = re.compile(r"<((?:https?|ftp)://[^>]+)>")
# Paths written in the text (links or not) that climb out of their folder, such as the old
# README's `../shared/DESIGN.md`.
CLIMBING_PATH = re.compile(r"(?<![\w./])((?:\.\./)+[\w./-]+)")


def link_targets(text):
    return [*LINK.findall(text), *REFERENCE.findall(text)]


def test_docs_links_resolve():
    broken = []
    for path in markdown_files():
        text = path.read_text(encoding="utf-8")
        for target in link_targets(text):
            if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
                continue
            file_part = target.split("#", 1)[0].split("?", 1)[0]
            resolved = (path.parent / file_part).resolve()
            if not resolved.exists() or not resolved.is_relative_to(ROOT):
                broken.append(f"{path.relative_to(ROOT)}: {target}")
        for climbing in CLIMBING_PATH.findall(text):
            if not (path.parent / climbing).resolve().is_relative_to(ROOT):
                broken.append(f"{path.relative_to(ROOT)}: {climbing} (outside the repository)")
    assert not broken, "Links to missing files or outside the repository: " + "; ".join(broken)


def test_the_link_checker_catches_a_broken_link():
    text = "See [the manual](docs/nowhere.md), ![a picture](docs/img/article.png) and [web](https://example.com)."
    assert link_targets(text) == ["docs/nowhere.md", "docs/img/article.png", "https://example.com"]
    assert CLIMBING_PATH.findall("in `../shared/DESIGN.md`, not ./here") == ["../shared/DESIGN.md"]


def test_readme_is_a_front_door():
    text = README.read_text(encoding="utf-8")
    assert len(text) < README_MAX_CHARACTERS, f"README.md has {len(text)} characters"
    targets = link_targets(text)
    outside = [t for t in targets if re.match(r"[a-z][a-z0-9+.-]*:", t)] + AUTOLINK.findall(text)
    assert not outside, "README.md links outside the repository: " + ", ".join(outside)
    for page in DOCS_THE_README_LINKS:
        assert f"docs/{page}" in targets, f"README.md does not link docs/{page}"
    assert "docs/img/article.png" in targets, "README.md lacks the article page's screenshot"
