-- One bonus/malus tier of a policy version's base, in file order (the first matching tier wins).
INSERT INTO policy_bonus_tiers (manufacturer_id, valid_from, tier_no, min_score, max_score, labor_adjustment)
VALUES ($manufacturer_id, $valid_from, $tier_no, $min_score, $max_score, $labor_adjustment);
