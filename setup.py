"""Ship the top-level ``resources/`` folder inside the wheel as ``desktop_app/_resources``.

Everything else about the project is declared in ``pyproject.toml``; this file only
adds the mapping that ``pyproject.toml`` cannot express next to package discovery.
Each folder under ``resources/`` is listed as a data-only package so that setuptools
copies its files. Screenshots stay out: they are for the README, not the app.
"""

from pathlib import Path

from setuptools import find_packages, setup

RESOURCES = Path("resources")
RESOURCES_PACKAGE = "desktop_app._resources"
LEFT_OUT = {"screenshots"}

resource_packages = [RESOURCES_PACKAGE] + [
    ".".join((RESOURCES_PACKAGE, *folder.relative_to(RESOURCES).parts))
    for folder in sorted(RESOURCES.rglob("*"))
    if folder.is_dir() and folder.relative_to(RESOURCES).parts[0] not in LEFT_OUT
]

setup(
    packages=[*find_packages(include=["desktop_app", "desktop_app.*"]), *resource_packages],
    package_dir={RESOURCES_PACKAGE: str(RESOURCES)},
    package_data={package: ["*"] for package in resource_packages},
)
