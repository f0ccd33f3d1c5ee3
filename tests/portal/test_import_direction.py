"""The layering rule (STYLE.md): domain apps never import the web app `cabinets` — the web depends on the
domain, never the other way round. Walks every module of every domain app, including imports inside
functions and dotted paths handed to `import_module` / `import_string`."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

DOMAIN_APPS = ("accounts", "projects", "offers", "visits", "reports", "notifications", "auditlog")
WEB_APPS = ("cabinets", "api")


def _is_web(module: str) -> bool:
    return any(module == app or module.startswith(app + ".") for app in WEB_APPS)


def web_imports(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if _is_web(alias.name)]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and _is_web(node.module):
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
            "import_module",
            "import_string",
            "__import__",
        ):
            for arg in node.args[:1]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and _is_web(arg.value):
                    found.append((node.lineno, arg.value))
    return found


def domain_modules():
    root = Path(settings.BASE_DIR)
    return sorted(path for app in DOMAIN_APPS for path in (root / app).rglob("*.py"))


def test_every_domain_app_is_walked():
    walked = {path.relative_to(settings.BASE_DIR).parts[0] for path in domain_modules()}
    assert walked == set(DOMAIN_APPS)


@pytest.mark.parametrize("path", domain_modules(), ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_domain_module_does_not_import_the_web(path):
    offending = web_imports(path.read_text(encoding="utf-8"))
    assert not offending, (
        f"{path.name} imports the web app: {offending} — move the shared code into a domain app or portal/"
    )


@pytest.mark.parametrize(
    "source",
    [
        "from cabinets.access import deny",
        "import cabinets.views",
        "def f():\n    from cabinets import exports\n",
        "import_string('cabinets.access.deny')",
        "importlib.import_module('cabinets.views')",
    ],
)
def test_the_walker_sees_every_kind_of_import(source):
    assert web_imports(source)


def test_the_walker_ignores_lookalikes():
    assert not web_imports("import cabinetsx\nfrom projects import cabinets_helper\nx = 'cabinets.support.requested'")
