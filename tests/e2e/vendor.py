print("1..1")
print("not ok 1 - not written yet")
raise SystemExit(1)
