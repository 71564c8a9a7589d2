-- Fragment: true when the viewer may see what concerns other stations than its own (a manager or a
-- manufacturer; not a station: analytics/access/scope.py Scope.sees_other_stations).
-- Included by `-- include: fragments/sees_other_stations` as one parenthesised condition.
($scope_station IS NULL)
