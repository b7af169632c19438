"""The image the podman tests share (built once per run) and the figures they measured, printed after the run."""

import pytest

from podman_image import build_image, figures


@pytest.fixture(scope="session")
def image():
    """The image built from the repository's Dockerfile (podman_image.build_image); its name."""
    return build_image()


def pytest_terminal_summary(terminalreporter):
    if figures:
        terminalreporter.section("containers (podman)")
        for name, value in figures.items():
            terminalreporter.write_line(f"{name}: {value}")
