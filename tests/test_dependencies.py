"""The installed libraries that parse untrusted input are at least as new as pyproject.toml asks."""

import tomllib
from importlib.metadata import version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"

# Pillow decodes every photo an editor uploads. Below 13.0 there are published advisories for
# its decoders (heap overflows in FPX/JPEG, PSD, TGA, image ops; 10.3 fixed CVE-2024-28219),
# so the floor may only ever rise.
PILLOW_SAFE_FLOOR = Version("13.0")


def declared_floor(name):
    """The lowest version pyproject.toml's dependencies accept for ``name``."""
    dependencies = tomllib.loads(PYPROJECT.read_text("utf-8"))["project"]["dependencies"]
    for line in dependencies:
        requirement = Requirement(line)
        if requirement.name.lower() == name:
            floors = [
                Version(spec.version) for spec in requirement.specifier if spec.operator == ">="
            ]
            assert floors, f"{line!r} has no >= floor"
            return max(floors)
    raise AssertionError(f"{name} is not a dependency in pyproject.toml")


def test_pillow_floor_is_above_the_known_decoder_vulnerabilities():
    assert declared_floor("pillow") >= PILLOW_SAFE_FLOOR


def test_installed_pillow_meets_the_declared_floor():
    installed = Version(version("pillow"))
    assert installed >= declared_floor("pillow"), f"Pillow {installed} is installed"
