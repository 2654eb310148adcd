#ifndef CONNVAULT_CCURLLOADER_H
#define CONNVAULT_CCURLLOADER_H
/* Nothing to import: this target defines libcurl's functions (CurlLoader.c) so that the library itself is loaded
   with dlopen on the first call instead of when the process starts. */
#endif
