-- Export of interventions as a contract file (data-contract.md): the columns in contract order,
-- every value as text: dates ISO (YYYY-MM-DD), money with its 2 decimals, rates without
-- trailing zeros (vf_num), NULL left empty by the writer. Ordered by the key.
SELECT intervention_id AS intervention_id,
       manufacturer_id AS manufacturer_id,
       station_id AS station_id,
       product_category AS product_category,
       product_model AS product_model,
       serial_number AS serial_number,
       strftime(purchase_date, '%Y-%m-%d') AS purchase_date,
       coverage AS coverage,
       repair_code AS repair_code,
       strftime(requested_on, '%Y-%m-%d') AS requested_on,
       strftime(completed_on, '%Y-%m-%d') AS completed_on,
       strftime(submitted_on, '%Y-%m-%d') AS submitted_on,
       CAST(visits AS VARCHAR) AS visits,
       CAST(labor_minutes AS VARCHAR) AS labor_minutes,
       vf_num(travel_km) AS travel_km,
       CAST(parts_cost AS VARCHAR) AS parts_cost,
       outcome AS outcome,
       CAST(customer_rating AS VARCHAR) AS customer_rating
FROM interventions
ORDER BY intervention_id
