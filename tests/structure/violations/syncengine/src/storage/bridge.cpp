// Storage reaching into the model's private header.
#include "model/engine_p.h"

// And exporting an internal class from the shared library.
class OBJECTSYNC_EXPORT Bridge;
