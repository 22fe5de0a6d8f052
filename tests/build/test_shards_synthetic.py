"""100 synthetic programmes (bench/generate.py) in git: N shards merged (N = 1, 2, 3, 7) are the bytes of one build,
and after a change that retires an organisation's feed across programmes, 7 shards built over their previous
folders and merged over the previous outputs are the bytes of one build over its previous outputs.

Slow (five builds of a hundred programmes, each on every core): tests/test_shards.py does the same for the bundled
programmes in the fast loop.
"""

from __future__ import annotations

import shutil

import pytest
from sharded import INN, assert_same_bytes, commit, sharded, with_inn

from bench.generate import write_tree
from engine.building.build import build

pytestmark = pytest.mark.slow
COUNTS = (1, 2, 3, 7)
RETIRED_FEED = "calendars/inn/0274062111.ics"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("synthetic")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        patch.delenv("CI", raising=False)
        first = root / "v1"
        write_tree(first / "specs", 100)
        with_inn(first / "specs" / "bench-0001" / "organisations.yaml", "cnmo", INN)
        commit(first, "сто программ", 1_700_000_000)
        second = root / "v2"
        shutil.copytree(first, second)
        with_inn(second / "specs" / "bench-0001" / "organisations.yaml", "cnmo", None)
        commit(second, "ИНН ЦНМО указан по ошибке", 1_700_100_000)
        site = (root / "site").as_uri() + "/"
        single = root / "single"
        single_report = build(first / "specs", single, site_url=site)
        found = {"single": single, "single_report": single_report,
                 **{count: sharded(first / "specs", root / f"v1-{count}", count, site) for count in COUNTS}}
        shutil.copytree(single, root / "site")    # published
        after = root / "single-after"
        shutil.copytree(single, after)
        found["single_after"] = (after, build(second / "specs", after, site_url=site))
        found["sharded_after"] = sharded(second / "specs", root / "v2-7", 7, site, after=root / "v1-7")
    assert not single_report.failed, single_report.all_diagnostics
    return found


@pytest.mark.parametrize("count", COUNTS)
def test_a_hundred_programmes_in_n_shards_merged_are_the_bytes_of_one_build(built, count):
    merged, report = built[count]
    assert_same_bytes(built["single"], merged)
    assert report.all_diagnostics == built["single_report"].all_diagnostics
    assert len(report.programmes) == 100 and all(item.rendered for item in report.programmes)
    assert b"BEGIN:VEVENT" in (merged / RETIRED_FEED).read_bytes()


def test_after_a_feed_is_retired_seven_shards_over_their_previous_folders_are_one_build(built):
    single, single_report = built["single_after"]
    merged, report = built["sharded_after"]
    assert not single_report.failed and not report.failed
    assert_same_bytes(single, merged)
    assert report.all_diagnostics == single_report.all_diagnostics
    assert b"X-PRIKAZ-RETIRED:TRUE" in (merged / RETIRED_FEED).read_bytes()
    assert [item.result.directory.name for item in report.programmes if item.rendered] == ["bench-0001"]
