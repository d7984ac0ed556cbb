import pytest

from rag.core.errors import ConfigError
from rag.core.settings import load_settings


def test_env_and_toml_and_overrides_in_priority_order(tmp_path, monkeypatch):
    toml = tmp_path / "citechat.toml"
    toml.write_text('collection = "fromtoml"\n[retrieve]\ntop_k = 3\ncandidates = 7\n')
    monkeypatch.setenv("CITECHAT_RETRIEVE__TOP_K", "5")
    settings = load_settings(toml, data_dir=tmp_path)
    assert settings.collection == "fromtoml"
    assert settings.retrieve.top_k == 5  # env beats the file
    assert settings.retrieve.candidates == 7
    assert load_settings(toml, collection="flag").collection == "flag"  # flags beat both


def test_data_dir_isolates_collections(tmp_path):
    s = load_settings(data_dir=tmp_path, collection="alpha")
    assert s.collection_dir == tmp_path / "collections" / "alpha"


@pytest.mark.parametrize(
    ("env", "value", "named"),
    [("CITECHAT_RETRIEVE__TOP_K", "many", "retrieve.top_k"),
     ("CITECHAT_CHROMA__URL", "localhost:8000", "chroma.url"),
     ("CITECHAT_ANSWER__MODE", "magic", "answer.mode")],
)
def test_bad_values_name_the_setting(monkeypatch, env, value, named):
    monkeypatch.setenv(env, value)
    with pytest.raises(ConfigError, match=named.replace(".", r"\.")) as info:
        load_settings()
    assert env in str(info.value)


def test_unknown_keys_in_the_file_are_errors(tmp_path):
    toml = tmp_path / "c.toml"
    toml.write_text("[retrieve]\ntopk = 3\n")
    with pytest.raises(ConfigError, match="retrieve.topk"):
        load_settings(toml)


def test_a_missing_config_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="nope.toml"):
        load_settings(tmp_path / "nope.toml")


def test_bad_collection_name(tmp_path):
    with pytest.raises(ConfigError, match="collection"):
        load_settings(collection="has space")
