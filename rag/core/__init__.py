"""The kernel every layer shares: typed data, errors, protocols (the seams) and settings."""
