"""An unknown setting is named with where it came from and the closest known one."""

import pytest

from rag.core.errors import ConfigError
from rag.core.settings import load_settings


def test_a_typo_in_the_toml_file_names_the_file_and_a_guess(tmp_path):
    config = tmp_path / "citechat.toml"
    config.write_text("[embed]\nbatch_sise = 3\n\n[retreive]\ntop_k = 3\n")
    with pytest.raises(ConfigError) as info:
        load_settings(config)
    message = str(info.value)
    assert f"unknown setting 'embed.batch_sise' in {config}; did you mean 'embed.batch_size'?" \
        in message
    assert "known in [embed]: batch_size, max_tokens, threads" in message
    assert f"unknown setting 'retreive' in {config}; did you mean 'retrieve'?" in message


def test_an_unknown_environment_variable_is_named(monkeypatch):
    monkeypatch.setenv("CITECHAT_EMBED__TOKENIZER_PATH", "/tmp/tokenizer.json")
    with pytest.raises(ConfigError, match="unknown setting 'embed.tokenizer_path' from the "
                       "environment variable CITECHAT_EMBED__TOKENIZER_PATH"):
        load_settings()


def test_a_bad_value_from_a_flag_says_so():
    with pytest.raises(ConfigError, match="'collection' \\(got 'x y'\\) given on the command line"):
        load_settings(collection="x y")
