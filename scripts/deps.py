"""Print the dependency specs from pyproject.toml, shell-quoted, for `pip install`.

The project itself is not a package."""

import shlex
import sys
import tomllib
from pathlib import Path

project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())["project"]
specs = list(project["dependencies"])
for extra in sys.argv[1:]:
    specs += project["optional-dependencies"][extra]
print(" ".join(shlex.quote(s) for s in specs))
