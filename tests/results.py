"""Comparing what a notebook printed with what the page showed (the e2e tests, which run a page's
notebook in a clean kernel, and tests/reference/test_notebook_recipes.py, which runs the recipes here)."""


def assert_close(actual, expected, tolerance=1e-6, where="result"):
    """Equal structure, numbers within `tolerance` (absolute, or relative for large numbers)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict) and sorted(actual) == sorted(expected), where
        for key in expected:
            assert_close(actual[key], expected[key], tolerance, f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), where
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_close(a, e, tolerance, f"{where}[{i}]")
    elif isinstance(expected, (int, float)) and not isinstance(expected, bool):
        assert abs(actual - expected) <= tolerance * max(1.0, abs(expected)), (
            f"{where}: {actual} != {expected}"
        )
    else:
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"
