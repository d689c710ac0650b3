"""Per-comment text features (issue 15): language, sentiment and themes, computed at load time.

Pages only aggregate these tables; nothing re-reads comment text at query time.

Tables (schema migration 7):
- ``comment_features(table_name, record_id, field, batch_id, lang, sentiment, sentiment_label,
  analysed_at, theme_version)``: one row per non-empty comment. ``field`` is the text column
  ('comment' on responses, an extra text field on tickets); ``lang`` is ISO 639-1 or 'und';
  ``sentiment`` is in [-1, 1] and ``sentiment_label`` one of positive / neutral / negative /
  mixed, both NULL when the language has no lexicon (never scored with the wrong one);
  ``theme_version`` is the dictionary version the themes were matched with.
- ``comment_themes(table_name, record_id, field, batch_id, theme)``: one row per (comment, theme
  it mentions); a comment mentioning no theme has none. Join to the record on
  (table_name, record_id) for a multi-valued theme dimension.
- ``theme_terms(theme, lang, terms, version, changed_at, changed_by, removed)``: the theme
  dictionary as an append-only history; ``terms`` is a JSON list of keywords or phrases. The
  dictionary in force is the latest version per (theme, lang) whose ``removed`` is false.

Rows of both comment tables carry their ``batch_id`` and are deleted when the batch is rolled
back.
"""
