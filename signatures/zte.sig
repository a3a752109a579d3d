pack zte
vendor ZTE
