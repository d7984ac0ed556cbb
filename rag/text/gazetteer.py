"""Small hand-made word lists that let the extractive answerer type a capitalised span as a place.

`place_kind("Kenya") == "country"`, `place_kind("Ohio") == "state"`, `place_kind("Leeds") ==
"city"`; anything not listed returns None (and is then typed by other cues).
"""

from __future__ import annotations

_COUNTRIES = """
Afghanistan|Albania|Algeria|Andorra|Angola|Argentina|Armenia|Australia|Austria|Azerbaijan|Bahamas|
Bahrain|Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan|Bolivia|Bosnia|Botswana|Brazil|
Britain|Great Britain|Brunei|Bulgaria|Burkina Faso|Burundi|Cambodia|Cameroon|Canada|Chad|Chile|
China|Colombia|Congo|Costa Rica|Croatia|Cuba|Cyprus|Czech Republic|Czechia|Denmark|Djibouti|
Dominican Republic|Ecuador|Egypt|El Salvador|England|Eritrea|Estonia|Eswatini|Ethiopia|Fiji|
Finland|France|Gabon|Gambia|Georgia|Germany|Ghana|Greece|Greenland|Guatemala|Guinea|Guyana|Haiti|
Honduras|Hong Kong|Hungary|Iceland|India|Indonesia|Iran|Iraq|Ireland|Israel|Italy|Ivory Coast|
Jamaica|Japan|Jordan|Kazakhstan|Kenya|Kosovo|Kuwait|Kyrgyzstan|Laos|Latvia|Lebanon|Lesotho|
Liberia|Libya|Liechtenstein|Lithuania|Luxembourg|Madagascar|Malawi|Malaysia|Maldives|Mali|Malta|
Mauritania|Mauritius|Mexico|Moldova|Monaco|Mongolia|Montenegro|Morocco|Mozambique|Myanmar|Namibia|
Nepal|Netherlands|New Zealand|Nicaragua|Niger|Nigeria|North Korea|North Macedonia|Northern Ireland|
Norway|Oman|Pakistan|Palestine|Panama|Papua New Guinea|Paraguay|Peru|Philippines|Poland|Portugal|
Qatar|Romania|Russia|Rwanda|Samoa|Saudi Arabia|Scotland|Senegal|Serbia|Sierra Leone|Singapore|
Slovakia|Slovenia|Somalia|South Africa|South Korea|South Sudan|Spain|Sri Lanka|Sudan|Suriname|
Sweden|Switzerland|Syria|Taiwan|Tajikistan|Tanzania|Thailand|Togo|Tonga|Tunisia|Turkey|Turkiye|
Turkmenistan|Uganda|Ukraine|United Arab Emirates|UAE|United Kingdom|UK|U.K.|United States|US|
U.S.|USA|America|Uruguay|Uzbekistan|Vatican|Venezuela|Vietnam|Wales|Yemen|Zambia|Zimbabwe|Gaza|
West Bank|Tahiti|Puerto Rico
"""

_US_STATES = """
Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|
Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|
Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|
New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|
South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|
Wisconsin|Wyoming|District of Columbia
"""

_CITIES = """
New York City|Los Angeles|Chicago|Houston|Phoenix|Philadelphia|San Antonio|San Diego|Dallas|
San Jose|Austin|Jacksonville|San Francisco|Columbus|Fort Worth|Indianapolis|Charlotte|Seattle|
Denver|Washington D.C.|Washington, D.C.|Boston|El Paso|Nashville|Detroit|Oklahoma City|Portland|
Las Vegas|Memphis|Louisville|Baltimore|Milwaukee|Albuquerque|Tucson|Fresno|Sacramento|Atlanta|
Kansas City|Miami|Raleigh|Omaha|Minneapolis|Tulsa|Cleveland|Oakland|New Orleans|Tampa|Honolulu|
Pittsburgh|Cincinnati|St. Louis|Orlando|Buffalo|Newark|Salt Lake City|Anchorage|Des Moines|
Manchester|Birmingham|Liverpool|Leeds|Glasgow|Edinburgh|Bristol|Oxford|Cambridge|Cardiff|Belfast|
London|Paris|Berlin|Madrid|Barcelona|Rome|Milan|Vienna|Prague|Warsaw|Kyiv|Kiev|Moscow|Istanbul|
Athens|Lisbon|Dublin|Amsterdam|Brussels|Geneva|Zurich|Stockholm|Oslo|Copenhagen|Helsinki|
Budapest|Granada|Tokyo|Beijing|Shanghai|Hong Kong|Seoul|Taipei|Bangkok|Singapore|Delhi|
New Delhi|Mumbai|Karachi|Dubai|Doha|Riyadh|Tehran|Baghdad|Jerusalem|Tel Aviv|Beirut|Damascus|
Cairo|Lagos|Nairobi|Johannesburg|Cape Town|Sydney|Melbourne|Toronto|Montreal|Vancouver|
Mexico City|Havana|Rio de Janeiro|Sao Paulo|Buenos Aires|Lima|Bogota|Caracas|Santiago
"""

_REGIONS = """
Europe|Asia|Africa|North America|South America|Latin America|Middle East|Antarctica|Arctic|
Caribbean|Pacific|Atlantic|Midwest|Northeast|Southeast|Southwest|Northwest|New England|
Bay Area|Silicon Valley|Sicily|Crimea|Kashmir|Alps|Dartmoor|Hawaii|Maui|Siberia|Scandinavia|
Balkans|Gulf Coast|East Coast|West Coast
"""


def _parse(block: str) -> list[str]:
    return [name.strip() for name in block.replace("\n", "").split("|") if name.strip()]


# Later lists win on a clash ("Georgia", "New York", "Washington" are states first, and a city
# list entry like "Singapore" stays a country because countries are applied last).
_PLACES: dict[str, str] = {}
for _kind, _block in (
    ("region", _REGIONS),
    ("city", _CITIES),
    ("state", _US_STATES),
    ("country", _COUNTRIES),
):
    _PLACES.update({name.lower(): _kind for name in _parse(_block)})


def place_kind(name: str) -> str | None:
    """'country', 'state', 'city', 'region' or None for a name not in the lists."""
    return _PLACES.get(name.lower().removeprefix("the "))


def starts_with_place(name: str) -> bool:
    """True when a multi-word name starts with a known place ("Buffalo Bills", "Alaska Air")."""
    parts = name.split()
    return any(place_kind(" ".join(parts[:i])) is not None for i in range(1, len(parts)))
