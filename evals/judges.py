"""Which claim-vs-evidence judge decides faithfulness: the model judge on the local model, on
an OpenAI-compatible endpoint, or the offline lexical one (`pair_judge`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from evals.metrics.judgement import PairJudge
    from rag.app import App


def pair_judge(app: App, mode: str) -> PairJudge:
    """The claim-vs-evidence judge for `mode`: "model" (the local model), "llm" (the [judge]
    endpoint, falling back to [llm]), "lexical", or "auto" (the local model where installed,
    else lexical). Judgements are cached under <data dir>/judge-cache/."""
    from evals.llm_judge.cache import JudgeCache, cache_path
    from evals.model_judge.judge import ModelJudge
    from evals.rag_answers import LexicalJudge
    from rag.app import local_model_available

    if mode in ("lexical", "offline") or (mode == "auto" and not local_model_available(
            app.settings)):
        return LexicalJudge()
    cache = JudgeCache(cache_path(app.settings.data_dir))
    if mode == "llm":
        from evals.llm_judge.client import resolve_judge_endpoint
        from rag.answer.llm.openai_model import OpenAIChatModel

        endpoint = resolve_judge_endpoint(app.settings.judge, app.settings.llm)
        return ModelJudge(OpenAIChatModel(endpoint, system_role=app.settings.judge.system_role),
                          cache=cache)
    return ModelJudge(app.local_model, cache=cache)
