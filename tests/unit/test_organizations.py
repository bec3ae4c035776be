"""Registering an organization: a unique, URL-safe code, a kind, a chart, a name, a start."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.books import RESERVED, Books, InvalidOrganization, Organization, OrganizationExists


def register(**changes):
    command = {
        "code": "xiaogang",
        "name_zh": "小岗村股份经济合作社",
        "name_en": "Xiaogang Village Shareholding Economic Cooperative",
        "kind": "village_collective",
        "chart": "mof-2023-village",
        "books_start": date(2025, 1, 1),
        "actor": "县农经站",
    }
    command.update(changes)
    return Organization.register(**command)


def test_registering_an_organization_records_who_registered_it_and_its_settings():
    org = register(name_zh="  小岗村股份经济合作社 ", name_en=" Xiaogang ")

    [event] = org.collect_events()
    assert type(event) is Organization.Registered
    assert event.originator_id == Organization.id_for("xiaogang")
    assert event.originator_version == 1
    assert event.code == "xiaogang"
    assert event.name_zh == "小岗村股份经济合作社"
    assert event.name_en == "Xiaogang"
    assert event.kind == "village_collective"
    assert event.chart == "mof-2023-village"
    assert event.books_start == date(2025, 1, 1)
    assert event.actor == "县农经站"
    assert org.registered_by == "县农经站"


def test_an_organization_id_follows_from_its_code_alone():
    assert Organization.id_for("xiaogang") == Organization.id_for("xiaogang")
    assert Organization.id_for("xiaogang") != Organization.id_for("xiaogang-2")
    assert Organization.id_for("v") != Books.id_for("v")


@pytest.mark.parametrize(
    "code", ["ab", "v1", "2025", "xiaogang-village", "a-b-c", "a" * 40, "9" * 40],
)
def test_a_code_of_2_to_40_lowercase_letters_digits_or_inner_hyphens_is_accepted(code):
    assert register(code=code).code == code


@pytest.mark.parametrize(
    "code",
    ["", "Xiaogang", "XG", "xiao_gang", "xiao gang", "-ab", "ab-", "-", "a" * 41, "小岗",
     "ab/c", "ab.c", "ab%20", "ab?c"],
)
def test_a_code_that_is_not_url_safe_lowercase_or_too_long_is_refused(code):
    with pytest.raises(InvalidOrganization) as err:
        register(code=code)
    assert err.value.field == "code"


def test_a_one_character_code_is_refused():
    with pytest.raises(InvalidOrganization) as err:
        register(code="a")
    assert err.value.field == "code"


@pytest.mark.parametrize("code", ["ab\n", "ab\r\n", "\nab"])
def test_a_code_with_a_newline_is_refused(code):
    with pytest.raises(InvalidOrganization) as err:
        register(code=code)
    assert err.value.field == "code"


@pytest.mark.parametrize("code", sorted(RESERVED))
def test_a_code_that_would_shadow_the_products_own_addresses_is_refused(code):
    with pytest.raises(InvalidOrganization, match="reserved") as err:
        register(code=code)
    assert err.value.field == "code"


def test_the_reserved_codes_include_the_api_and_admin_addresses():
    assert {"api", "static", "admin", "login", "health"} <= RESERVED


def test_a_village_collective_registers_on_the_2023_village_chart():
    assert register(kind="village_collective").kind == "village_collective"


def test_a_farmers_cooperative_cannot_keep_the_village_chart():
    # Its own chart (财会〔2021〕37号) gives 321 and 322 other meanings.
    with pytest.raises(InvalidOrganization) as err:
        register(kind="farmers_cooperative", chart="mof-2023-village")
    assert err.value.field == "chart"


@pytest.mark.parametrize("kind", ["", "company", "Village_Collective"])
def test_any_other_kind_of_organization_is_refused(kind):
    with pytest.raises(InvalidOrganization) as err:
        register(kind=kind)
    assert err.value.field == "kind"


def test_a_farmers_cooperative_keeps_the_2021_cooperative_chart():
    event = register(kind="farmers_cooperative", chart="mof-2021-cooperative")
    assert (event.kind, event.chart) == ("farmers_cooperative", "mof-2021-cooperative")


def test_a_village_cannot_keep_the_cooperative_chart():
    with pytest.raises(InvalidOrganization) as err:
        register(kind="village_collective", chart="mof-2021-cooperative")
    assert err.value.field == "chart"


@pytest.mark.parametrize("chart", ["", "mof-2004-village", "mof-2007-cooperative"])
def test_a_chart_the_product_does_not_keep_is_refused(chart):
    with pytest.raises(InvalidOrganization) as err:
        register(chart=chart)
    assert err.value.field == "chart"


@pytest.mark.parametrize("name", ["", "   ", "村" * 101])
def test_a_chinese_name_that_is_blank_or_longer_than_100_characters_is_refused(name):
    with pytest.raises(InvalidOrganization) as err:
        register(name_zh=name)
    assert err.value.field == "name_zh"


def test_a_chinese_name_of_100_characters_is_accepted():
    assert register(name_zh="村" * 100).name_zh == "村" * 100


def test_an_english_name_longer_than_100_characters_is_refused():
    with pytest.raises(InvalidOrganization) as err:
        register(name_en="x" * 101)
    assert err.value.field == "name_en"


def test_the_english_name_is_optional():
    assert register(name_en="").name_en == ""


def test_books_cannot_start_before_1980():
    with pytest.raises(InvalidOrganization) as err:
        register(books_start=date(1979, 12, 31))
    assert err.value.field == "books_start"
    assert register(books_start=date(1980, 1, 1)).books_start == date(1980, 1, 1)


def test_registering_through_the_ledger_opens_the_books_on_the_same_chart_and_start(
    memory_ledger,
):
    outcome = memory_ledger.books.register_organization(
        code="v1", name_zh="一村", kind="village_collective", books_start=date(2025, 3, 15),
        actor="县农经站")

    assert outcome.value.code == "v1"
    assert outcome.position == memory_ledger.log_head() == 2
    books = memory_ledger.books.of("v1")
    assert (books.org, books.chart, books.books_start) == ("v1", "mof-2023-village",
                                                             date(2025, 3, 15))
    events = [memory_ledger.mapper.to_domain_event(n)
              for n in memory_ledger.recorder.select_notifications(start=1, limit=10)]
    assert [type(e) for e in events] == [Organization.Registered, Books.Opened]
    assert {e.actor for e in events} == {"县农经站"}


def test_a_code_is_registered_once(memory_ledger):
    memory_ledger.books.register_organization(code="v1", name_zh="一村", kind="village_collective",
                                              books_start=date(2025, 1, 1), actor="a")
    head = memory_ledger.log_head()

    with pytest.raises(OrganizationExists) as err:
        memory_ledger.books.register_organization(code="v1", name_zh="二村",
                                                  kind="village_collective",
                                                  books_start=date(2024, 1, 1), actor="b")
    assert err.value.field == "code"
    assert err.value.context == {"code": "v1"}
    assert memory_ledger.log_head() == head
    assert memory_ledger.books.organization("v1").name_zh == "一村"


def test_a_refused_registration_writes_nothing(memory_ledger):
    with pytest.raises(InvalidOrganization):
        memory_ledger.books.register_organization(code="API", name_zh="一村",
                                                  kind="village_collective",
                                                  books_start=date(2025, 1, 1), actor="a")
    assert memory_ledger.log_head() == 0
