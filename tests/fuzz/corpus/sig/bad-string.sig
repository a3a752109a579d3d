pack fuzz
vendor "V\x41\t\\"
title "unterminated
