"""data/reference is an exact copy of the shared reference data (docs/adr/0002)."""

import filecmp
from pathlib import Path

import pytest
from django.conf import settings

SHARED = settings.BASE_DIR.parent / "shared" / "data"


@pytest.mark.skipif(not SHARED.exists(), reason="shared reference folder not beside this checkout")
def test_reference_copy_matches_shared_data():
    ours = settings.BASE_DIR / "data" / "reference"
    shared_files = sorted(p.relative_to(SHARED) for p in SHARED.rglob("*") if p.is_file())
    our_files = sorted(p.relative_to(ours) for p in ours.rglob("*") if p.is_file())
    assert our_files == shared_files
    mismatched = [str(p) for p in shared_files if not filecmp.cmp(SHARED / p, ours / p, shallow=False)]
    assert not mismatched, f"refresh with: cp -r ../shared/data/. data/reference/ ({mismatched})"


def test_reference_files_are_present():
    assert Path(settings.REFERENCE_DATA_DIR, "catalogue", "mpp-kota-tangerang.yaml").exists()
