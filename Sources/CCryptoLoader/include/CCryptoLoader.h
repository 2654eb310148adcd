#ifndef CONNVAULT_CCRYPTOLOADER_H
#define CONNVAULT_CCRYPTOLOADER_H
/* Nothing to import: this target defines the libcrypto functions the package calls (CryptoLoader.c) so that
   OpenSSL's libcrypto is loaded with dlopen on the first call instead of when the process starts. */
#endif
