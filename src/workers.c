/* workers.c - placeholder, being written */
