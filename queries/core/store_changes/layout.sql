SELECT epoch, published_seq FROM store_layout WHERE id = 1
