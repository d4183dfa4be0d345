import pytest


@pytest.fixture
def reference_data(transactional_db):
    """Countries and institutions again: a transactional test's flush removes them."""
    from portal import demo

    demo.load_countries()
    demo.load_institutions()

