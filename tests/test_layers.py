"""The packages of models/ are layers, checked on every import, relative ones too.

    governance                  recommendations: on top of both
    raci        discussion      independent of each other
    core  errors  solver        the shared primitives, the errors, the MILP adapter,
    labels  messages            the words and sentences of the outputs for people (en, de),
    palette  figures            their colours, the one adapter to matplotlib

A module may import its own package and the packages its layer lists in :data:`MAY_IMPORT`;
core may import errors, errors nothing of models.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BOTTOM = {
    "models.core",
    "models.errors",
    "models.solver",
    "models.labels",
    "models.messages",
    "models.palette",
    "models.figures",
}
MAY_IMPORT: dict[str, set[str]] = {
    "models": set(),
    "models.errors": set(),
    "models.core": {"models.errors"},
    "models.solver": {"models.core", "models.errors", "models.labels", "models.messages"},
    "models.labels": set(),
    "models.messages": {"models.labels"},
    "models.palette": {"models.core"},
    "models.figures": set(),
    "models.raci": BOTTOM,
    "models.discussion": BOTTOM,
    "models.governance": BOTTOM | {"models.raci", "models.discussion"},
}


def module_name(path: Path) -> str:
    """``models/raci/lint.py`` -> ``models.raci.lint``; a package's ``__init__`` is the package."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _exists(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imported_modules(source: str, name: str, is_package: bool = False) -> set[str]:
    """The absolute names of the modules that ``source`` (module ``name``) imports.

    Relative imports are resolved against the module's package; ``from package import x``
    counts as importing ``package.x`` when that is a module of this repository.
    """
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            for alias in node.names:
                submodule = f"{module}.{alias.name}"
                found.add(submodule if _exists(submodule) else module)
    return found


def layer(module: str) -> str | None:
    """The layer of a module of models/ (its package, or itself at the top level)."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "models" else None


MODEL_FILES = sorted(ROOT.glob("models/**/*.py"))


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_models_import_only_lower_layers(path: Path) -> None:
    name = module_name(path)
    own = layer(name)
    assert own in MAY_IMPORT, f"{name} is in no layer: add its package to MAY_IMPORT"
    imports = imported_modules(path.read_text(encoding="utf-8"), name, path.stem == "__init__")
    wrong = {
        module
        for module in imports
        if (target := layer(module)) is not None and target != own and target not in MAY_IMPORT[own]
    }
    assert not wrong, f"{name} imports {sorted(wrong)} above or beside its layer"


def test_relative_imports_are_resolved() -> None:
    source = "from ..governance import recommend\nfrom . import codec\nfrom .types import Id\n"
    assert imported_modules(source, "models.raci.lint") == {
        "models.governance.recommend",
        "models.raci.codec",
        "models.raci.types",
    }
    assert imported_modules("from .codec import check", "models.discussion", True) == {
        "models.discussion.codec"
    }


def test_a_lower_layer_importing_a_higher_one_is_caught() -> None:
    imports = imported_modules("from ..governance.types import Recommendation", "models.raci.x")
    assert {layer(module) for module in imports} == {"models.governance"}
    assert "models.governance" not in MAY_IMPORT["models.raci"]
