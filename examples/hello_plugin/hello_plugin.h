// The hello example plugin's implementation, as a library so that test
// fixtures can wrap it. hello_entry.cc exports it as a plugin.
#ifndef BACKPLANE_EXAMPLES_HELLO_PLUGIN_HELLO_PLUGIN_H_
#define BACKPLANE_EXAMPLES_HELLO_PLUGIN_HELLO_PLUGIN_H_

#include <memory>

#include "plugins/kit/plugin.h"

namespace hello {

std::unique_ptr<backplane::kit::Plugin> MakeHelloPlugin();

}  // namespace hello

#endif  // BACKPLANE_EXAMPLES_HELLO_PLUGIN_HELLO_PLUGIN_H_
