"""citechat retrieval and answering: retrieve passages, answer with citations as data."""
