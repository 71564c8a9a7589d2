-- Changes every replica holds (or of an old epoch): their payloads, before they are pruned.
SELECT kind, payload FROM store_changes WHERE epoch <> :epoch OR seq <= :seq
