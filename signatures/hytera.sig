pack hytera
vendor Hytera
