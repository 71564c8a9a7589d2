SELECT coalesce(max(seq), 0) FROM store_changes WHERE epoch = :epoch
