-- Fragment: an intervention_facts row invoiced while its verification status is blocked (at least
-- one invoice line, status 'blocked'): the Overview's "invoiced while blocked" mark
-- (n_invoiced_blocked of the engine's cells). One boolean in parentheses; included by
-- fragments/selection (the filter $invoiced_blocked) and the disputes analyses that count these
-- disputes (page_data/disputes/breakdown).
(invoiced AND status = 'blocked')
