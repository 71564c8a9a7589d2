DELETE FROM store_changes WHERE epoch <> :epoch OR seq <= :seq
