pack hikvision
vendor Hikvision
