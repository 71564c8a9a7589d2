-- Fragment: an intervention_facts row invoiced while its verification status is blocked (at least
-- one invoice line, status 'blocked'): the Overview's "invoiced while blocked" mark
-- (n_invoiced_blocked of the engine's cells). One boolean in parentheses; included by
-- fragments/selection (the filter $invoiced_blocked) and engine/facts_disputes (dispute_facts.invoiced_blocked,
-- which the Disputes page's breakdown counts).
(invoiced AND status = 'blocked')
