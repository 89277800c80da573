"""The simulator's population is deterministic per seed and keeps the well-known residents fixed."""

from simulators.dukcapil import WELL_KNOWN_FAMILIES, Registry, norm_text


def test_same_seed_same_population_other_seed_differs():
    a, b, c = Registry(seed=11, families=50), Registry(seed=11, families=50), Registry(seed=12, families=50)
    assert list(a.by_nik) == list(b.by_nik)
    assert list(a.by_nik) != list(c.by_nik)


def test_well_known_residents_are_always_there_and_niks_unique():
    registry = Registry(seed=99, families=300)
    for family in WELL_KNOWN_FAMILIES:
        assert registry.kk[family["kk_number"]] == [m["nik"] for m in family["members"]]
    assert len(registry.by_nik) == len(set(registry.by_nik))
    women = [r for r in registry.by_nik.values() if r["sex"] == "P"]
    assert women and all(int(r["nik"][6:8]) > 40 for r in women)


def test_name_matching_ignores_case_spacing_and_punctuation():
    assert norm_text("  SITI   rahayu ") == norm_text("Siti Rahayu")
    assert norm_text("Ma'ruf") == norm_text("Maruf")
    assert norm_text("Siti Rahayu") != norm_text("Siti Rahayuni")
