#ifndef CONNVAULT_CSODIUM_SHIM_H
#define CONNVAULT_CSODIUM_SHIM_H
#include <sodium.h>
#endif
