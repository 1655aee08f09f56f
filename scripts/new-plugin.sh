#!/usr/bin/env bash
# Starts a new ObjectSync plugin: new-plugin.sh <name> [<dir>]
#
# Writes into <dir> (default: ./<name>), which must not hold any of these files yet:
#   <name>.cpp      a one-file plugin: an object type with an int attribute `count` and the
#                   per-object service `<id>/increment {"by": n}`, to make your own
#   CMakeLists.txt  find_package(ObjectSync) and objectsync_add_plugin()
#   README.md       how to build it, list it in objectsync-host and install it
# <name> is the plugin's id, its library's name and its frontend type; the object type is
# <name> in CamelCase ("sticky-notes" -> StickyNotes). Installed with the SDK as
# share/objectsync/new-plugin.sh; see docs/plugins.md.
set -euo pipefail

usage() {
  echo "usage: $(basename "$0") <name> [<dir>]" >&2
  echo "  <name>: a letter, then letters, digits, '-' or '_' (for example: counter)" >&2
  exit 2
}

[ $# -ge 1 ] && [ $# -le 2 ] || usage
name=$1
dir=${2:-$name}
if ! [[ $name =~ ^[A-Za-z][A-Za-z0-9_-]*$ ]]; then
  echo "new-plugin.sh: \"$name\" is not a usable name" >&2
  usage
fi
# The C++ type: each part of the name capitalised, the separators dropped.
type=$(sed -E 's/(^|[-_])([a-z])/\U\2/g; s/[-_]//g' <<<"$name")

for file in "$name.cpp" CMakeLists.txt README.md; do
  if [ -e "$dir/$file" ]; then
    echo "new-plugin.sh: $dir/$file exists already; nothing was written" >&2
    exit 1
  fi
done

# Where the SDK is, when this script is the installed one (<prefix>/share/objectsync/).
here=$(cd "$(dirname "$0")" && pwd)
prefix="<where ObjectSync is installed>"
if [ "$(basename "$here")" = objectsync ] && [ "$(basename "$(dirname "$here")")" = share ]; then
  prefix=$(cd "$here/../.." && pwd)
fi

mkdir -p "$dir"

cat >"$dir/$name.cpp" <<EOF
// A counter: clients see its \`count\` and call \`<id>/increment\` with {"by": n}.
#include <objectsync/plugin.h>

using namespace objectsync;

class $type : public SObject
{
    OBJECTSYNC_OBJECT($type, "$name")
public:
    IntTopic *count = nullptr;

protected:
    void preBuild(const QJsonObject &) override
    {
        count = addAttribute<IntTopic>("count", 0);
        // One change is one transition; a service opens a transaction only for several.
        addService("increment", [this](const ServiceArgs &args) {
            count->add(args.optional<int>("by", 1));
            return count->get();
        });
    }
};

OBJECTSYNC_PLUGIN(context)
{
    context.registerType<$type>();
}
EOF

cat >"$dir/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.21)
project($name VERSION 1.0.0 LANGUAGES CXX)
find_package(ObjectSync 0.1 REQUIRED)
objectsync_add_plugin($name SOURCES $name.cpp INSTALL)
EOF

cat >"$dir/README.md" <<EOF
# $name

An ObjectSync plugin. Build it, check that the host loads it, and install it into the SDK's
plugin folder, where objectsync-host finds it by itself:

    cmake -S . -B build -DCMAKE_PREFIX_PATH=$prefix
    cmake --build build
    objectsync-host --no-default-plugins --plugin-dir build --list-plugins
    cmake --install build

The guide to writing plugins is docs/plugins.md in ObjectSync.
EOF

echo "new plugin \"$name\" in $dir: $name.cpp, CMakeLists.txt, README.md"
