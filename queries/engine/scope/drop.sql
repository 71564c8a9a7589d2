-- The refresh's scope tables, dropped when it is done (a writer's connection may live on).
DROP TABLE IF EXISTS temp.eng_named;
DROP TABLE IF EXISTS temp.eng_named_key;
DROP TABLE IF EXISTS temp.eng_iv_row;
DROP TABLE IF EXISTS temp.eng_iv;
DROP TABLE IF EXISTS temp.eng_outlier_iv;
DROP TABLE IF EXISTS temp.eng_iv_status;
DROP TABLE IF EXISTS temp.eng_group;
DROP TABLE IF EXISTS temp.eng_group_old;
DROP TABLE IF EXISTS temp.eng_iv_facts_old;
DROP TABLE IF EXISTS temp.eng_dispute_facts_old;
DROP TABLE IF EXISTS temp.eng_invoice_facts_old;
DROP TABLE IF EXISTS temp.eng_dispute;
DROP TABLE IF EXISTS temp.eng_invoice;
DROP TABLE IF EXISTS temp.eng_combo_present;
DROP TABLE IF EXISTS temp.eng_combo_gone;
DROP TABLE IF EXISTS temp.eng_cell;
DROP TABLE IF EXISTS temp.eng_now;
