INSERT OR REPLACE INTO store_layout (id, epoch, published_seq) VALUES (1, :epoch, :published_seq)
