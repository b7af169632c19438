"""Prints the figures the container image test measured (image size, start and stop times) after the run."""


def pytest_terminal_summary(terminalreporter):
    try:
        from test_container_image import figures
    except ImportError:
        return
    if figures:
        terminalreporter.section("container image")
        for name, value in figures.items():
            terminalreporter.write_line(f"{name}: {value}")
