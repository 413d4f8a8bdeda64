// The one exported symbol of libbackplane_hello.so.
#include "examples/hello_plugin/hello_plugin.h"
#include "plugins/kit/plugin.h"

BPL_KIT_DEFINE_PLUGIN_FACTORY(hello::MakeHelloPlugin())
