// SPDX-License-Identifier: MIT
#pragma once

/*! \file objectsync.h Everything a plugin author needs from the engine. */

#include <objectsync/change.h>
#include <objectsync/engine.h>
#include <objectsync/error.h>
#include <objectsync/result.h>
#include <objectsync/sobject.h>
#include <objectsync/topic.h>
#include <objectsync/transition.h>
