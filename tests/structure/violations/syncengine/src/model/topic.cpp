// A model file that reaches into the protocol: the check must refuse it.
#include "protocol/hub.h"
#include "model/engine_p.h"

int one = 1;
int two = 2;
