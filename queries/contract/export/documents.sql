-- Export of documents as a contract file (data-contract.md): the columns in contract order,
-- every value as text: dates ISO (YYYY-MM-DD), money with its 2 decimals, rates without
-- trailing zeros (vf_num), NULL left empty by the writer. Ordered by the key.
SELECT intervention_id AS intervention_id,
       doc_type AS doc_type,
       strftime(received_on, '%Y-%m-%d') AS received_on
FROM documents
ORDER BY intervention_id, doc_type
