pack honor
vendor Honor
