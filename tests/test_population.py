import numpy as np

from talentsim.constants import EMPLOYED, EXITED, FROM_OUTSIDE, STUDENT, UNEMPLOYED
from talentsim.population import Population


def test_add_grows_capacity_and_keeps_rows():
    pop = Population(capacity=4)
    a = pop.add(3, STUDENT, region=2)
    b = pop.add(10, UNEMPLOYED, level=np.arange(10))
    assert pop.n == 13 and pop.capacity >= 13
    assert a.tolist() == [0, 1, 2] and b[0] == 3
    assert pop.region[:3].tolist() == [2, 2, 2]
    assert pop.level[3:].tolist() == list(range(10))
    assert pop.flows[FROM_OUTSIDE, STUDENT] == 3 and pop.flows[FROM_OUTSIDE, UNEMPLOYED] == 10


def test_set_status_counts_flows():
    pop = Population()
    pop.add(5, UNEMPLOYED)
    pop.reset_flows()
    pop.set_status(np.array([0, 1]), EMPLOYED)
    pop.set_status(np.array([1]), EXITED)
    assert pop.flows[UNEMPLOYED, EMPLOYED] == 2
    assert pop.flows[EMPLOYED, EXITED] == 1
    assert pop.status_counts()[UNEMPLOYED] == 3


def test_compact_drops_exited_and_keeps_order():
    pop = Population()
    pop.add(6, UNEMPLOYED, level=np.arange(6))
    pop.set_status(np.array([1, 4]), EXITED)
    pop.compact()
    assert pop.n == 4
    assert pop.level.tolist() == [0, 2, 3, 5]
    assert (pop.status != EXITED).all()
