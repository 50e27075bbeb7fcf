"""The package build compiles the translation catalogues, so `pip install` ships the French and Italian pages.

Everything else about the package is in pyproject.toml."""

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithCatalogues(build_py):
    """build_py, then each .po compiled to its .mo inside the build (never into the source tree)."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the source tree: `make install` compiles there
            return
        spec = importlib.util.spec_from_file_location("timetill_catalogs", HERE / "timetill" / "catalogs.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.compile_catalogues(
            HERE / "timetill" / "locale",
            only_stale=False,
            target_dir=Path(self.build_lib) / "timetill" / "locale",
        )


setup(cmdclass={"build_py": BuildWithCatalogues})
