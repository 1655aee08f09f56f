// SPDX-License-Identifier: MIT
// Linked with one engine layer, whole, and the layers it may use (see syncengine/CMakeLists.txt):
// the program only has to link, which it does not when the layer calls into another layer.
int main()
{
    return 0;
}
