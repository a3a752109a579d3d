/* out_remote.c - placeholder, being written */
