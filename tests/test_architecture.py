"""The package's shape, as ARCHITECTURE.md states it: stages in layers, lower layers never import
higher ones, no import cycles, no private name used across modules, short modules and functions.

Read from the source with ``ast`` (every import, including those inside functions and under
``TYPE_CHECKING``): a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "pipeline"

#: Bottom to top. A module may import its own layer's modules and any layer below, never above.
LAYERS: list[set[str]] = [
    {"errors", "fileio", "locking", "language", "compact"},  # infrastructure and locale facts
    {"ingest"},  # articles → blocks
    {"segment"},  # blocks → sentences with stable ids
    {"mt"},  # translation engines: the backend protocol, Marian, CTranslate2, the model registry
    {"names"},  # glossary, name protection around the engine, CLDR layer, suggestions
    {"catalog"},  # PO files: merge, plurals, memory, QA, status, MO
    {"render"},  # pages from PO files
    {"testing"},  # fault-injecting backends, tiny model (not used by the product)
    {"job", "evaluation", "project", "readiness"},  # the translate job; the quality harness; newsroom.toml
    {"api", "results"},  # the public Python API and its result objects
    {"cli", "__main__", "__init__"},  # the command line; the package's lazy re-exports
]
#: Only these may import the test scaffolding (``glossary score --backend fakes``).
MAY_IMPORT_TESTING = {"cli", "testing", "evaluation"}

MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
#: A longer function carries this marker on its ``def`` line or the line above, with the reason.
LONG_MARK = "# long:"


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        yield ".".join(["pipeline", *parts]) if parts != ["__init__"] else "pipeline", path


def _imports(module: str, path: Path) -> Iterator[tuple[str, list[str], int]]:
    """(imported module, names imported from it, line) for every import of a ``pipeline`` module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "pipeline":
                    yield alias.name, [], node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "pipeline":
                continue
            names = [a.name for a in node.names]
            yield target, names, node.lineno


def _known() -> set[str]:
    return {name for name, _ in _modules()}


def _resolve(target: str, names: list[str], known: set[str]) -> list[tuple[str, list[str]]]:
    """``from pipeline.catalog import po`` imports the module ``pipeline.catalog.po``."""
    out = []
    plain = []
    for name in names:
        if f"{target}.{name}" in known:
            out.append((f"{target}.{name}", []))
        else:
            plain.append(name)
    if plain or not names:
        out.append((target, plain))
    return out


def _graph() -> dict[str, set[str]]:
    known = _known()
    graph: dict[str, set[str]] = {}
    for module, path in _modules():
        deps = graph.setdefault(module, set())
        for target, names, _ in _imports(module, path):
            for dep, _names in _resolve(target, names, known):
                if dep != module and dep in known:
                    deps.add(dep)
    return graph


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _layer(module: str) -> int:
    top = _top(module)
    for index, layer in enumerate(LAYERS):
        if top in layer:
            return index
    raise AssertionError(f"{module} is in no layer: add it to LAYERS and ARCHITECTURE.md")


def test_every_module_has_a_layer() -> None:
    for module, _ in _modules():
        _layer(module)


def test_lower_layers_never_import_higher_ones() -> None:
    upward = []
    known = _known()
    for module, path in _modules():
        for target, names, line in _imports(module, path):
            for dep, _ in _resolve(target, names, known):
                if dep not in known or dep == "pipeline" and names == ["__version__"]:
                    continue
                if _layer(dep) > _layer(module):
                    upward.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {module} imports {dep}")
                if _top(dep) == "testing" and _top(module) not in MAY_IMPORT_TESTING:
                    upward.append(
                        f"{path.relative_to(PACKAGE.parent)}:{line}: {module} imports test scaffolding"
                    )
    assert not upward, "\n".join(upward)


def test_no_import_cycles() -> None:
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for dep in sorted(graph.get(node, ())):
            if dep not in index:
                visit(dep)
                low[node] = min(low[node], low[dep])
            elif dep in on_stack:
                low[node] = min(low[node], index[dep])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    # A package's __init__ re-exporting its own modules is not a cycle of ideas.
    cycles = [c for c in cycles if not all(m == c[0] or m.startswith(c[0] + ".") for m in c)]
    assert not cycles, cycles


def test_no_private_name_is_imported_across_modules() -> None:
    offenders = []
    for module, path in _modules():
        for target, names, line in _imports(module, path):
            for name in names:
                if name.startswith("_") and not name.startswith("__"):
                    offenders.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {name} from {target}")
    assert not offenders, "\n".join(offenders)


def test_modules_and_functions_are_short() -> None:
    long = []
    for _, path in _modules():
        lines = path.read_text(encoding="utf-8").splitlines()
        where = path.relative_to(PACKAGE.parent)
        if len(lines) > MAX_MODULE_LINES:
            long.append(f"{where}: {len(lines)} lines (over {MAX_MODULE_LINES}: split it)")
        for node in ast.walk(ast.parse("\n".join(lines))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                size = (node.end_lineno or node.lineno) - node.lineno + 1
                marks = lines[node.lineno - 1] + lines[node.lineno - 2] if node.lineno > 1 else ""
                if size > MAX_FUNCTION_LINES and LONG_MARK not in marks:
                    long.append(f"{where}:{node.lineno}: {node.name} is {size} lines")
    assert not long, "\n".join(long)
