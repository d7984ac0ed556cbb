"""Pure text helpers: sentence spans with exact offsets, the lexicon, the stemmer, dates."""
