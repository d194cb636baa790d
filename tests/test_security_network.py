"""Tests stay on this machine: a connection elsewhere fails loudly."""

import socket

import pytest

from .conftest import NetworkAccessError


def test_a_connection_outside_loopback_fails_the_test():
    # 192.0.2.1 is reserved for documentation: nothing would answer anyway.
    with pytest.raises(NetworkAccessError, match="192.0.2.1"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)


def test_a_failed_connection_is_not_an_oserror_that_code_could_swallow():
    with socket.socket() as sock, pytest.raises(NetworkAccessError):
        try:
            sock.connect_ex(("192.0.2.1", 80))
        except OSError:
            pytest.fail("the guard raised an OSError")


def test_loopback_connections_are_allowed():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname(), timeout=1):
            pass
