/* placeholder: netdb_build.c's parser moves here */
