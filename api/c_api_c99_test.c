/* Proves the ABI header is valid C99 on its own (it is compiled with
 * -std=c99 -pedantic-errors) and that its constants are usable from C. */
#include "api/backplane_c_api.h"

#include <stdio.h>

int main(void) {
  BPL_Client_Compile_Args args = {0};
  args.struct_size = BPL_Client_Compile_Args_STRUCT_SIZE;
  if (args.struct_size != sizeof(BPL_Client_Compile_Args)) {
    fprintf(stderr, "STRUCT_SIZE does not match sizeof\n");
    return 1;
  }
  if (BPL_API_MAJOR != 1) return 1;
  {
    BPL_Api api = {0};
    api.struct_size = offsetof(BPL_Api, Client_Create);
    api.Error_Destroy = 0;
    /* Entries past the table's struct_size are never "present". */
    if (BPL_API_HAS(&api, Client_Create)) return 1;
    if (BPL_API_HAS(&api, Executable_Execute)) return 1;
  }
  printf("c99 header check passed\n");
  return 0;
}
