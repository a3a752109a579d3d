print("1..1")
print("not ok 1 placeholder")
