SELECT epoch, seq FROM store_replica
