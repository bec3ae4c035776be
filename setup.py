"""The build compiles the translation catalogs (.po → .mo) with Babel, so that the running app
only loads compiled catalogs: into the wheel's build directory, or in place for an editable
install (`pip install -e .`), as setuptools asks of build steps in editable mode.

Everything else about the package is declared in pyproject.toml.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from babel.messages.setuptools_frontend import compile_catalog
from setuptools import setup
from setuptools.command.build import build

CATALOGS = Path("api") / "translations"  # <locale>/LC_MESSAGES/messages.po, as Babel lays out


class CompileCatalogs(compile_catalog):  # type: ignore[misc]
    """Babel's `compile_catalog` as a step of `build`. A catalog Babel finds errors in stops
    the build, rather than a page later."""

    description = "compile the .po catalogs under api/translations into .mo files"
    editable_mode: bool = False  # set by setuptools for `pip install -e .`

    def initialize_options(self) -> None:
        super().initialize_options()
        self.build_lib: str | None = None

    def finalize_options(self) -> None:
        self.set_undefined_options("build_py", ("build_lib", "build_lib"))
        self.directory = str(self._target())
        super().finalize_options()

    def _target(self) -> Path:
        return CATALOGS if self.editable_mode else Path(self.build_lib or "build") / CATALOGS

    def run(self) -> None:
        # build_py has copied the .po files into build_lib; the .mo files are written beside
        # them (in editable mode: beside the sources, where the editable install imports from).
        self.directory = str(self._target())
        if super().run():
            raise SystemExit("a translation catalog has errors; see above")

    def get_source_files(self) -> list[str]:
        return [str(path) for path in sorted(CATALOGS.glob("*/LC_MESSAGES/*.po"))]

    def get_outputs(self) -> list[str]:
        target = self._target()
        return [str(target / Path(po).relative_to(CATALOGS).with_suffix(".mo"))
                for po in self.get_source_files()]

    def get_output_mapping(self) -> dict[str, str]:
        return {}  # generated files, not copies of sources


class Build(build):
    sub_commands: ClassVar[list[tuple[str, Any]]] = [*build.sub_commands,
                                                     ("compile_catalogs", None)]


if __name__ == "__main__":  # as setuptools runs it; importable by tests without building
    setup(cmdclass={"build": Build, "compile_catalogs": CompileCatalogs})
