"""The test suite, a package: tests import the project and each other one way, absolute
(``from tests.engine_fixture import ...``, ``from tests import reference``)."""
