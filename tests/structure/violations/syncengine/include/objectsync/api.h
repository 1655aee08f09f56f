// A public header that includes a private one.
#include "model/engine_p.h"
