"""Two payments racing for the same allocation: the row locks let exactly one through.
PostgreSQL only (SQLite serialises every writer anyway)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from safeharbor.funds import selectors, services
from safeharbor.funds.models import Allocation, Payment
from safeharbor.funds.permissions import SYSTEM

from .conftest import IN_YEAR, allocate, receive

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_concurrent_payments_never_overdraw_an_allocation(fund, program, victim_share):
    receive(fund, "1000.00")
    allocation = allocate(fund, program, victim_share, "500.00")
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def pay() -> None:
        try:
            barrier.wait()
            services.payment_post(
                actor=SYSTEM,
                membership=None,
                allocation=Allocation.objects.get(pk=allocation.pk),
                amount=Decimal("300.00"),
                payee="Landlord",
                paid_on=IN_YEAR,
            )
            outcomes.append("paid")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["paid", "refused", "refused", "refused"]
    assert Payment.objects.count() == 1
    row = selectors.with_balances(Allocation.objects.filter(pk=allocation.pk)).get()
    assert row.available == Decimal("200.00")
    numbers = list(fund.entries.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
