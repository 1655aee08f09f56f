// Storage reaching into the model's private header.
#include "model/engine_p.h"
