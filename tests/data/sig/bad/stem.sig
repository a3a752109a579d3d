# pack line disagrees with the file name
pack huawei
vendor Test

