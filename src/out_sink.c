/* out_sink.c - placeholder, being written */
