pack huawei
vendor Huawei
