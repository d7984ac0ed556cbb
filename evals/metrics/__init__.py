"""One metric per module; each returns a typed result with an explicit `status`, never NaN."""
