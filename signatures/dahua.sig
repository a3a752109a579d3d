pack dahua
vendor Dahua
