// SPDX-License-Identifier: MIT
// An ordinary shared library: no plugin metadata, no plugin class.
extern "C" int objectsyncTestNotAPlugin()
{
    return 42;
}
