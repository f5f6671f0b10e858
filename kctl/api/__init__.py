"""Pure API machinery: kinds, metadata, validation, defaulting, merge. No I/O."""
