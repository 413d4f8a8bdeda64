/* Backplane C ABI, version 1.
 *
 * The one boundary between ML frameworks and hardware plugins. A plugin is a
 * shared library that exports exactly one symbol, BPL_GetApi, returning a
 * table of functions. Every function has the shape
 *
 *     BPL_Error* fn(BPL_<Object>_<Verb>_Args* args);
 *
 * and returns NULL on success or an error the caller must destroy with
 * BPL_Api.Error_Destroy.
 *
 * Compatibility (the full contract is docs/abi.md):
 *   - Minor versions only append: fields at the end of args structs, entries
 *     at the end of BPL_Api. A major version may break anything.
 *   - Every args struct begins with `struct_size` (set it with the
 *     BPL_<Name>_STRUCT_SIZE constant of the header you compiled against) and
 *     an extension pointer. A plugin reads at most `struct_size` bytes of a
 *     caller's struct and writes outputs only inside it; fields the caller
 *     does not have take their documented defaults.
 *   - A framework checks BPL_Api.struct_size (via BPL_API_HAS) before calling
 *     an entry, so a plugin with a shorter table reports UNIMPLEMENTED instead
 *     of crashing.
 *   - Every args struct's last field is 8 bytes wide; the compile-time checks
 *     at the end of this header prove each STRUCT_SIZE names the real last
 *     field.
 *
 * Ownership: objects returned through `out_` fields are owned by the caller
 * and released with the matching _Destroy function. Pointers to strings and
 * arrays returned by queries are owned by the object they describe and stay
 * valid until it is destroyed. Plugins are thread-safe unless a function says
 * otherwise.
 *
 * This header is C99 and includes only <stddef.h>, <stdint.h>, <stdbool.h>.
 */
#ifndef BACKPLANE_API_BACKPLANE_C_API_H_
#define BACKPLANE_API_BACKPLANE_C_API_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BPL_API_MAJOR 1
#define BPL_API_MINOR 2

/* Size of `type` up to and including `last_field`. */
#define BPL_STRUCT_SIZE(type, last_field) \
  (offsetof(type, last_field) + sizeof(((type*)0)->last_field))

/* True when the table `api` is large enough to hold entry `fn`. */
#define BPL_API_HAS(api, fn)                                       \
  ((api) != NULL &&                                                \
   (api)->struct_size >= offsetof(BPL_Api, fn) + sizeof(void*) && \
   (api)->fn != NULL)

/* ------------------------------------------------------------------------ */
/* Opaque objects.                                                           */

typedef struct BPL_Error BPL_Error;
typedef struct BPL_Event BPL_Event;
typedef struct BPL_Client BPL_Client;
typedef struct BPL_DeviceDescription BPL_DeviceDescription;
typedef struct BPL_Device BPL_Device;
typedef struct BPL_Memory BPL_Memory;
typedef struct BPL_Buffer BPL_Buffer;
typedef struct BPL_Executable BPL_Executable;
typedef struct BPL_ExecutionStatistics BPL_ExecutionStatistics;

/* ------------------------------------------------------------------------ */
/* Extensions.                                                               */

/* Every extension struct starts with this header. Extensions form singly
 * linked chains: the API table's `extension_start` for plugin-wide
 * extensions, and each args struct's `extension_start` for per-call ones. A
 * reader skips types it does not know. */
typedef struct BPL_ExtensionBase {
  size_t struct_size;
  uint32_t type;    /* BPL_ExtensionType or a vendor id. */
  uint32_t version; /* The extension's own version, starting at 1. */
  const struct BPL_ExtensionBase* next;
} BPL_ExtensionBase;

typedef enum BPL_ExtensionType {
  BPL_EXTENSION_NONE = 0,
  /* BPL_ProfilingExtension in the API table. */
  BPL_EXTENSION_PROFILING = 1,
  /* BPL_ExecuteStatisticsRequest in BPL_Executable_Execute_Args. */
  BPL_EXTENSION_EXECUTE_STATISTICS_REQUEST = 2
} BPL_ExtensionType;
/* Extension type ids from here up belong to vendors, who need no change to
 * this header to define them. */
#define BPL_EXTENSION_VENDOR_FIRST 0x80000000u

/* ------------------------------------------------------------------------ */
/* Values shared by many calls.                                              */

/* The canonical error codes (numerically equal to absl::StatusCode). */
typedef enum BPL_ErrorCode {
  BPL_CODE_OK = 0,
  BPL_CODE_CANCELLED = 1,
  BPL_CODE_UNKNOWN = 2,
  BPL_CODE_INVALID_ARGUMENT = 3,
  BPL_CODE_DEADLINE_EXCEEDED = 4,
  BPL_CODE_NOT_FOUND = 5,
  BPL_CODE_ALREADY_EXISTS = 6,
  BPL_CODE_PERMISSION_DENIED = 7,
  BPL_CODE_RESOURCE_EXHAUSTED = 8,
  BPL_CODE_FAILED_PRECONDITION = 9,
  BPL_CODE_ABORTED = 10,
  BPL_CODE_OUT_OF_RANGE = 11,
  BPL_CODE_UNIMPLEMENTED = 12,
  BPL_CODE_INTERNAL = 13,
  BPL_CODE_UNAVAILABLE = 14,
  BPL_CODE_DATA_LOSS = 15,
  BPL_CODE_UNAUTHENTICATED = 16
} BPL_ErrorCode;

/* Element types. Host data crossing the ABI is dense; sub-byte integers
 * (S2, S4, U2, U4) take one byte per element holding the sign- or
 * zero-extended value; PRED is one byte, 0 or 1; F16 and BF16 are IEEE
 * binary16 and bfloat16 bit patterns; C64 and C128 are (real, imaginary)
 * pairs of F32 and F64. The numbering is frozen.
 *
 * Added in 1.1: the small floating-point formats of the StableHLO spec,
 * one byte per element holding the bit pattern (F4 and F6 in the low bits,
 * upper bits zero). Names follow MLIR (`f8E4M3FN` is BPL_ELEMENT_TYPE_
 * F8E4M3FN): E<exponent bits>M<mantissa bits>, FN = finite with NaN (no
 * infinities), FNUZ = finite, NaN only as negative zero, B11 = exponent bias
 * 11, FNU = finite, unsigned (a power-of-two scale). A plugin of ABI 1.0
 * rejects them as invalid element types. */
typedef enum BPL_ElementType {
  BPL_ELEMENT_TYPE_INVALID = 0,
  BPL_ELEMENT_TYPE_PRED = 1,
  BPL_ELEMENT_TYPE_S2 = 2,
  BPL_ELEMENT_TYPE_S4 = 3,
  BPL_ELEMENT_TYPE_S8 = 4,
  BPL_ELEMENT_TYPE_S16 = 5,
  BPL_ELEMENT_TYPE_S32 = 6,
  BPL_ELEMENT_TYPE_S64 = 7,
  BPL_ELEMENT_TYPE_U2 = 8,
  BPL_ELEMENT_TYPE_U4 = 9,
  BPL_ELEMENT_TYPE_U8 = 10,
  BPL_ELEMENT_TYPE_U16 = 11,
  BPL_ELEMENT_TYPE_U32 = 12,
  BPL_ELEMENT_TYPE_U64 = 13,
  BPL_ELEMENT_TYPE_F16 = 14,
  BPL_ELEMENT_TYPE_BF16 = 15,
  BPL_ELEMENT_TYPE_F32 = 16,
  BPL_ELEMENT_TYPE_F64 = 17,
  BPL_ELEMENT_TYPE_C64 = 18,
  BPL_ELEMENT_TYPE_C128 = 19,
  BPL_ELEMENT_TYPE_F8E5M2 = 20,
  BPL_ELEMENT_TYPE_F8E4M3FN = 21,
  BPL_ELEMENT_TYPE_F8E4M3 = 22,
  BPL_ELEMENT_TYPE_F8E3M4 = 23,
  BPL_ELEMENT_TYPE_F8E4M3FNUZ = 24,
  BPL_ELEMENT_TYPE_F8E5M2FNUZ = 25,
  BPL_ELEMENT_TYPE_F8E4M3B11FNUZ = 26,
  BPL_ELEMENT_TYPE_F8E8M0FNU = 27,
  BPL_ELEMENT_TYPE_F4E2M1FN = 28,
  BPL_ELEMENT_TYPE_F6E2M3FN = 29,
  BPL_ELEMENT_TYPE_F6E3M2FN = 30
} BPL_ElementType;

typedef enum BPL_ValueType {
  BPL_VALUE_STRING = 0,
  BPL_VALUE_INT64 = 1,
  BPL_VALUE_INT64_LIST = 2,
  BPL_VALUE_FLOAT64 = 3,
  BPL_VALUE_BOOL = 4,
  BPL_VALUE_STRING_LIST = 5
} BPL_ValueType;

/* A typed, named value: options, attributes and statistics. Strings are
 * NUL-terminated and their length (without the NUL) is in `value_size`; for
 * lists `value_size` is the number of elements. Arrays of this struct are
 * indexed with its C sizeof: its layout is frozen for major version 1. */
typedef struct BPL_NamedValue {
  size_t struct_size;
  const char* name;
  size_t name_size;
  BPL_ValueType type;
  union {
    const char* string_value;
    int64_t int64_value;
    const int64_t* int64_list_value;
    double float64_value;
    bool bool_value;
    const char* const* string_list_value;
  } value;
  size_t value_size;
} BPL_NamedValue;
#define BPL_NamedValue_STRUCT_SIZE BPL_STRUCT_SIZE(BPL_NamedValue, value_size)

/* Element type and dimensions of an array value. Frozen layout. */
typedef struct BPL_Shape {
  BPL_ElementType element_type;
  size_t num_dims;
  const int64_t* dims;
} BPL_Shape;

/* ------------------------------------------------------------------------ */
/* Error.                                                                    */

typedef struct BPL_Error_Destroy_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Error* error;
} BPL_Error_Destroy_Args;
#define BPL_Error_Destroy_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Error_Destroy_Args, error)
/* Destroying NULL is a no-op. Never fails (returns NULL). */
typedef BPL_Error* BPL_Error_Destroy_Fn(BPL_Error_Destroy_Args* args);

typedef struct BPL_Error_Message_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  const BPL_Error* error;
  const char* out_message; /* Owned by `error`; NUL-terminated. */
  size_t out_message_size;
} BPL_Error_Message_Args;
#define BPL_Error_Message_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Error_Message_Args, out_message_size)
typedef BPL_Error* BPL_Error_Message_Fn(BPL_Error_Message_Args* args);

typedef struct BPL_Error_GetCode_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  const BPL_Error* error;
  int64_t out_code; /* A BPL_ErrorCode. */
} BPL_Error_GetCode_Args;
#define BPL_Error_GetCode_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Error_GetCode_Args, out_code)
typedef BPL_Error* BPL_Error_GetCode_Fn(BPL_Error_GetCode_Args* args);

/* ------------------------------------------------------------------------ */
/* Plugin.                                                                   */

/* Must be called once before any other function except the Error ones;
 * later calls are no-ops. */
typedef struct BPL_Plugin_Initialize_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  /* The framework's ABI version, for the plugin's information. */
  int64_t framework_abi_major;
  int64_t framework_abi_minor;
} BPL_Plugin_Initialize_Args;
#define BPL_Plugin_Initialize_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Plugin_Initialize_Args, framework_abi_minor)
typedef BPL_Error* BPL_Plugin_Initialize_Fn(BPL_Plugin_Initialize_Args* args);

/* Describes the plugin. Always present: "name" (string), "vendor" (string),
 * "plugin_version" (string), "abi_version" (int64 list [major, minor]),
 * "program_formats" (string list, e.g. "stablehlo"), "stablehlo_version_min"
 * and "stablehlo_version_max" (strings), "capabilities" (string list; see
 * docs/abi.md), "client_options" (string list of "name:type" the plugin
 * accepts in Client_Create). Plugins may add more. */
typedef struct BPL_Plugin_Attributes_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  const BPL_NamedValue* out_attributes; /* Owned by the plugin. */
  size_t out_num_attributes;
} BPL_Plugin_Attributes_Args;
#define BPL_Plugin_Attributes_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Plugin_Attributes_Args, out_num_attributes)
typedef BPL_Error* BPL_Plugin_Attributes_Fn(BPL_Plugin_Attributes_Args* args);

/* ------------------------------------------------------------------------ */
/* Event: completes once, successfully or with an error.                     */

typedef struct BPL_Event_Destroy_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Event* event;
} BPL_Event_Destroy_Args;
#define BPL_Event_Destroy_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Event_Destroy_Args, event)
/* Destroying a pending event is allowed: registered callbacks still run. */
typedef BPL_Error* BPL_Event_Destroy_Fn(BPL_Event_Destroy_Args* args);

typedef struct BPL_Event_IsReady_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Event* event;
  bool out_is_ready;
  uint8_t reserved[7];
} BPL_Event_IsReady_Args;
#define BPL_Event_IsReady_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Event_IsReady_Args, reserved)
typedef BPL_Error* BPL_Event_IsReady_Fn(BPL_Event_IsReady_Args* args);

/* The event's error: NULL while pending or when it completed successfully,
 * otherwise a new error object owned by the caller. */
typedef struct BPL_Event_Error_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Event* event;
  BPL_Error* out_error;
} BPL_Event_Error_Args;
#define BPL_Event_Error_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Event_Error_Args, out_error)
typedef BPL_Error* BPL_Event_Error_Fn(BPL_Event_Error_Args* args);

/* Blocks until the event completes; returns the event's error, if any. */
typedef struct BPL_Event_Await_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Event* event;
} BPL_Event_Await_Args;
#define BPL_Event_Await_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Event_Await_Args, event)
typedef BPL_Error* BPL_Event_Await_Fn(BPL_Event_Await_Args* args);

/* `error` is NULL on success; it is borrowed (valid during the call only). */
typedef void BPL_EventCallback(const BPL_Error* error, void* user_arg);

/* Runs `callback` exactly once when the event completes: on the completing
 * thread, or on the calling thread at once if it already completed. */
typedef struct BPL_Event_OnReady_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Event* event;
  BPL_EventCallback* callback;
  void* user_arg;
} BPL_Event_OnReady_Args;
#define BPL_Event_OnReady_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Event_OnReady_Args, user_arg)
typedef BPL_Error* BPL_Event_OnReady_Fn(BPL_Event_OnReady_Args* args);

/* An event the framework creates and completes itself (with Event_Set), to
 * express dependencies such as "this input is not computed yet". */
typedef struct BPL_Event_Create_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Event* out_event;
} BPL_Event_Create_Args;
#define BPL_Event_Create_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Event_Create_Args, out_event)
typedef BPL_Error* BPL_Event_Create_Fn(BPL_Event_Create_Args* args);

/* Completes a framework-created event; `error_code` BPL_CODE_OK for success.
 * FAILED_PRECONDITION if the event is already complete or was created by the
 * plugin. */
typedef struct BPL_Event_Set_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Event* event;
  int64_t error_code;
  const char* error_message; /* May be NULL. */
  size_t error_message_size;
} BPL_Event_Set_Args;
#define BPL_Event_Set_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Event_Set_Args, error_message_size)
typedef BPL_Error* BPL_Event_Set_Fn(BPL_Event_Set_Args* args);

/* ------------------------------------------------------------------------ */
/* Client: one plugin instance's view of its devices.                        */

/* `options` are checked against the plugin's "client_options" attribute: an
 * unknown name or a value of the wrong type is INVALID_ARGUMENT naming it. */
typedef struct BPL_Client_Create_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  const BPL_NamedValue* options;
  size_t num_options;
  BPL_Client* out_client;
} BPL_Client_Create_Args;
#define BPL_Client_Create_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Client_Create_Args, out_client)
typedef BPL_Error* BPL_Client_Create_Fn(BPL_Client_Create_Args* args);

/* Destroying a client that still has live buffers, executables or events is
 * defined: pending work completes or fails, and every handle stays valid to
 * query and destroy; operations on them return FAILED_PRECONDITION. */
typedef struct BPL_Client_Destroy_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Client* client;
} BPL_Client_Destroy_Args;
#define BPL_Client_Destroy_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Client_Destroy_Args, client)
typedef BPL_Error* BPL_Client_Destroy_Fn(BPL_Client_Destroy_Args* args);

typedef struct BPL_Client_PlatformName_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Client* client;
  const char* out_platform_name;
  size_t out_platform_name_size;
} BPL_Client_PlatformName_Args;
#define BPL_Client_PlatformName_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Client_PlatformName_Args, out_platform_name_size)
typedef BPL_Error* BPL_Client_PlatformName_Fn(
    BPL_Client_PlatformName_Args* args);

typedef struct BPL_Client_PlatformVersion_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Client* client;
  const char* out_platform_version;
  size_t out_platform_version_size;
} BPL_Client_PlatformVersion_Args;
#define BPL_Client_PlatformVersion_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Client_PlatformVersion_Args, out_platform_version_size)
typedef BPL_Error* BPL_Client_PlatformVersion_Fn(
    BPL_Client_PlatformVersion_Args* args);

/* All devices of the platform (addressable or not), in id order. */
typedef struct BPL_Client_Devices_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Client* client;
  BPL_Device* const* out_devices; /* Owned by the client. */
  size_t out_num_devices;
} BPL_Client_Devices_Args;
#define BPL_Client_Devices_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Client_Devices_Args, out_num_devices)
typedef BPL_Error* BPL_Client_Devices_Fn(BPL_Client_Devices_Args* args);

/* Devices this process can place buffers on and execute on. */
typedef BPL_Client_Devices_Args BPL_Client_AddressableDevices_Args;
#define BPL_Client_AddressableDevices_Args_STRUCT_SIZE \
  BPL_Client_Devices_Args_STRUCT_SIZE
typedef BPL_Error* BPL_Client_AddressableDevices_Fn(
    BPL_Client_AddressableDevices_Args* args);

/* NOT_FOUND (naming the id and the valid ids) for an unknown id. */
typedef struct BPL_Client_LookupDevice_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Client* client;
  int64_t id;
  BPL_Device* out_device;
} BPL_Client_LookupDevice_Args;
#define BPL_Client_LookupDevice_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Client_LookupDevice_Args, out_device)
typedef BPL_Error* BPL_Client_LookupDevice_Fn(
    BPL_Client_LookupDevice_Args* args);

typedef struct BPL_Client_AddressableMemories_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Client* client;
  BPL_Memory* const* out_memories; /* Owned by the client. */
  size_t out_num_memories;
} BPL_Client_AddressableMemories_Args;
#define BPL_Client_AddressableMemories_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Client_AddressableMemories_Args, out_num_memories)
typedef BPL_Error* BPL_Client_AddressableMemories_Fn(
    BPL_Client_AddressableMemories_Args* args);

/* A program to compile. Formats: "stablehlo" (MLIR text); plugins list
 * theirs in the "program_formats" attribute. */
typedef struct BPL_Program {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  const char* format;
  size_t format_size;
  const char* code;
  size_t code_size;
} BPL_Program;
#define BPL_Program_STRUCT_SIZE BPL_STRUCT_SIZE(BPL_Program, code_size)

/* Compiles `program` for `devices` (NULL: the first addressable device).
 * Compile options are Backplane's own (docs/abi.md lists them: e.g.
 * "num_replicas", "num_partitions", "matmul_precision",
 * "donated_parameters", "optimization_level"); names of the form
 * "<plugin>.<key>" are the plugin's own, and those for other plugins are
 * ignored. Errors: INVALID_ARGUMENT for syntax or verifier errors (with
 * line and column) and bad options; UNIMPLEMENTED naming an unsupported op or
 * format. */
typedef struct BPL_Client_Compile_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Client* client;
  const BPL_Program* program;
  const BPL_NamedValue* compile_options;
  size_t num_compile_options;
  BPL_Device* const* devices;
  size_t num_devices;
  BPL_Executable* out_executable;
} BPL_Client_Compile_Args;
#define BPL_Client_Compile_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Client_Compile_Args, out_executable)
typedef BPL_Error* BPL_Client_Compile_Fn(BPL_Client_Compile_Args* args);

/* Loads bytes produced by Executable_Serialize (by the same plugin; another
 * plugin's or version's bytes are INVALID_ARGUMENT, never a crash). */
typedef struct BPL_Client_DeserializeExecutable_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Client* client;
  const char* serialized;
  size_t serialized_size;
  BPL_Executable* out_executable;
} BPL_Client_DeserializeExecutable_Args;
#define BPL_Client_DeserializeExecutable_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Client_DeserializeExecutable_Args, out_executable)
typedef BPL_Error* BPL_Client_DeserializeExecutable_Fn(
    BPL_Client_DeserializeExecutable_Args* args);

/* What a plugin may do with host memory handed to BufferFromHost. */
typedef enum BPL_HostBufferSemantics {
  /* The data is copied before the call returns; the host memory may be
   * reused at once. */
  BPL_HOST_BUFFER_COPY_DURING_CALL = 0,
  /* The data must stay valid and unchanged until `out_done_with_host_buffer`
   * completes. */
  BPL_HOST_BUFFER_IMMUTABLE_UNTIL_TRANSFER_COMPLETES = 1,
  /* The buffer may alias the host memory for its whole life; the plugin
   * never writes to it. The memory must outlive the buffer. */
  BPL_HOST_BUFFER_IMMUTABLE_ZERO_COPY = 2,
  /* The buffer may alias the host memory and the plugin may write to it
   * (e.g. as a donated argument). */
  BPL_HOST_BUFFER_MUTABLE_ZERO_COPY = 3
} BPL_HostBufferSemantics;

typedef struct BPL_Client_BufferFromHost_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Client* client;
  const void* data;
  BPL_ElementType element_type;
  const int64_t* dims;
  size_t num_dims;
  /* Optional byte strides, one per dimension; NULL means dense row-major. */
  const int64_t* byte_strides;
  size_t num_byte_strides;
  BPL_HostBufferSemantics host_buffer_semantics;
  /* Destination: `memory` if set, else `device`'s default memory. */
  BPL_Device* device;
  BPL_Memory* memory;
  /* Optional: the data is not ready until these events complete. */
  BPL_Event* const* wait_events;
  size_t num_wait_events;
  /* Completes when the host memory may be freed or changed. May be NULL to
   * decline it. */
  BPL_Event* out_done_with_host_buffer;
  BPL_Buffer* out_buffer;
} BPL_Client_BufferFromHost_Args;
#define BPL_Client_BufferFromHost_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Client_BufferFromHost_Args, out_buffer)
typedef BPL_Error* BPL_Client_BufferFromHost_Fn(
    BPL_Client_BufferFromHost_Args* args);

/* ------------------------------------------------------------------------ */
/* DeviceDescription: what can be known of a device without owning it.       */

typedef struct BPL_DeviceDescription_Id_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_DeviceDescription* description;
  int64_t out_id;
} BPL_DeviceDescription_Id_Args;
#define BPL_DeviceDescription_Id_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_DeviceDescription_Id_Args, out_id)
typedef BPL_Error* BPL_DeviceDescription_Id_Fn(
    BPL_DeviceDescription_Id_Args* args);

typedef struct BPL_DeviceDescription_Kind_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_DeviceDescription* description;
  const char* out_kind;
  size_t out_kind_size;
} BPL_DeviceDescription_Kind_Args;
#define BPL_DeviceDescription_Kind_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_DeviceDescription_Kind_Args, out_kind_size)
typedef BPL_Error* BPL_DeviceDescription_Kind_Fn(
    BPL_DeviceDescription_Kind_Args* args);

typedef struct BPL_DeviceDescription_Attributes_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_DeviceDescription* description;
  const BPL_NamedValue* out_attributes;
  size_t out_num_attributes;
} BPL_DeviceDescription_Attributes_Args;
#define BPL_DeviceDescription_Attributes_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_DeviceDescription_Attributes_Args, out_num_attributes)
typedef BPL_Error* BPL_DeviceDescription_Attributes_Fn(
    BPL_DeviceDescription_Attributes_Args* args);

typedef struct BPL_DeviceDescription_DebugString_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_DeviceDescription* description;
  const char* out_debug_string;
  size_t out_debug_string_size;
} BPL_DeviceDescription_DebugString_Args;
#define BPL_DeviceDescription_DebugString_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_DeviceDescription_DebugString_Args, out_debug_string_size)
typedef BPL_Error* BPL_DeviceDescription_DebugString_Fn(
    BPL_DeviceDescription_DebugString_Args* args);

/* ------------------------------------------------------------------------ */
/* Device and Memory. Both are owned by their client.                        */

typedef struct BPL_Device_GetDescription_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Device* device;
  BPL_DeviceDescription* out_description;
} BPL_Device_GetDescription_Args;
#define BPL_Device_GetDescription_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Device_GetDescription_Args, out_description)
typedef BPL_Error* BPL_Device_GetDescription_Fn(
    BPL_Device_GetDescription_Args* args);

typedef struct BPL_Device_IsAddressable_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Device* device;
  bool out_is_addressable;
  uint8_t reserved[7];
} BPL_Device_IsAddressable_Args;
#define BPL_Device_IsAddressable_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Device_IsAddressable_Args, reserved)
typedef BPL_Error* BPL_Device_IsAddressable_Fn(
    BPL_Device_IsAddressable_Args* args);

typedef struct BPL_Device_Memories_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Device* device;
  BPL_Memory* const* out_memories;
  size_t out_num_memories;
} BPL_Device_Memories_Args;
#define BPL_Device_Memories_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Device_Memories_Args, out_num_memories)
typedef BPL_Error* BPL_Device_Memories_Fn(BPL_Device_Memories_Args* args);

typedef struct BPL_Device_DefaultMemory_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Device* device;
  BPL_Memory* out_memory;
} BPL_Device_DefaultMemory_Args;
#define BPL_Device_DefaultMemory_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Device_DefaultMemory_Args, out_memory)
typedef BPL_Error* BPL_Device_DefaultMemory_Fn(
    BPL_Device_DefaultMemory_Args* args);

/* Memory usage of the device's default memory. Values a plugin does not
 * track are -1. */
typedef struct BPL_Device_MemoryStats_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Device* device;
  int64_t out_bytes_in_use;
  int64_t out_peak_bytes_in_use;
  int64_t out_num_allocs;
  int64_t out_largest_alloc_size;
  int64_t out_bytes_limit;
} BPL_Device_MemoryStats_Args;
#define BPL_Device_MemoryStats_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Device_MemoryStats_Args, out_bytes_limit)
typedef BPL_Error* BPL_Device_MemoryStats_Fn(BPL_Device_MemoryStats_Args* args);

typedef struct BPL_Memory_Id_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Memory* memory;
  int64_t out_id;
} BPL_Memory_Id_Args;
#define BPL_Memory_Id_Args_STRUCT_SIZE BPL_STRUCT_SIZE(BPL_Memory_Id_Args, out_id)
typedef BPL_Error* BPL_Memory_Id_Fn(BPL_Memory_Id_Args* args);

/* Kinds are plugin-defined strings, e.g. "device", "hbm", "pinned_host". */
typedef struct BPL_Memory_Kind_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Memory* memory;
  const char* out_kind;
  size_t out_kind_size;
} BPL_Memory_Kind_Args;
#define BPL_Memory_Kind_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Memory_Kind_Args, out_kind_size)
typedef BPL_Error* BPL_Memory_Kind_Fn(BPL_Memory_Kind_Args* args);

typedef struct BPL_Memory_Devices_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Memory* memory;
  BPL_Device* const* out_devices;
  size_t out_num_devices;
} BPL_Memory_Devices_Args;
#define BPL_Memory_Devices_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Memory_Devices_Args, out_num_devices)
typedef BPL_Error* BPL_Memory_Devices_Fn(BPL_Memory_Devices_Args* args);

/* ------------------------------------------------------------------------ */
/* Buffer: an array on a device.                                             */

/* Frees the handle, and the device memory unless already deleted. */
typedef struct BPL_Buffer_Destroy_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Buffer* buffer;
} BPL_Buffer_Destroy_Args;
#define BPL_Buffer_Destroy_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Buffer_Destroy_Args, buffer)
typedef BPL_Error* BPL_Buffer_Destroy_Fn(BPL_Buffer_Destroy_Args* args);

/* Frees the device memory (once pending uses complete) but keeps the handle:
 * queries of type and shape still work, data access is FAILED_PRECONDITION. */
typedef struct BPL_Buffer_Delete_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Buffer* buffer;
} BPL_Buffer_Delete_Args;
#define BPL_Buffer_Delete_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Buffer_Delete_Args, buffer)
typedef BPL_Error* BPL_Buffer_Delete_Fn(BPL_Buffer_Delete_Args* args);

typedef struct BPL_Buffer_IsDeleted_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Buffer* buffer;
  bool out_is_deleted;
  uint8_t reserved[7];
} BPL_Buffer_IsDeleted_Args;
#define BPL_Buffer_IsDeleted_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Buffer_IsDeleted_Args, reserved)
typedef BPL_Error* BPL_Buffer_IsDeleted_Fn(BPL_Buffer_IsDeleted_Args* args);

typedef struct BPL_Buffer_Shape_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Buffer* buffer;
  BPL_ElementType out_element_type;
  const int64_t* out_dims; /* Owned by the buffer. */
  size_t out_num_dims;
} BPL_Buffer_Shape_Args;
#define BPL_Buffer_Shape_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Buffer_Shape_Args, out_num_dims)
typedef BPL_Error* BPL_Buffer_Shape_Fn(BPL_Buffer_Shape_Args* args);

typedef struct BPL_Buffer_OnDeviceSizeInBytes_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Buffer* buffer;
  size_t out_size_in_bytes;
} BPL_Buffer_OnDeviceSizeInBytes_Args;
#define BPL_Buffer_OnDeviceSizeInBytes_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Buffer_OnDeviceSizeInBytes_Args, out_size_in_bytes)
typedef BPL_Error* BPL_Buffer_OnDeviceSizeInBytes_Fn(
    BPL_Buffer_OnDeviceSizeInBytes_Args* args);

typedef struct BPL_Buffer_Device_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Buffer* buffer;
  BPL_Device* out_device;
} BPL_Buffer_Device_Args;
#define BPL_Buffer_Device_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Buffer_Device_Args, out_device)
typedef BPL_Error* BPL_Buffer_Device_Fn(BPL_Buffer_Device_Args* args);

typedef struct BPL_Buffer_Memory_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Buffer* buffer;
  BPL_Memory* out_memory;
} BPL_Buffer_Memory_Args;
#define BPL_Buffer_Memory_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Buffer_Memory_Args, out_memory)
typedef BPL_Error* BPL_Buffer_Memory_Fn(BPL_Buffer_Memory_Args* args);

/* Copies the buffer, dense row-major in the layout described for
 * BPL_ElementType, into `dst`. With `dst` NULL, only sets `dst_size` to the
 * bytes needed (the size query). Otherwise `dst_size` must be at least that;
 * the copy is asynchronous: `dst` must stay valid until `out_event`
 * completes. */
typedef struct BPL_Buffer_ToHost_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Buffer* buffer;
  void* dst;
  size_t dst_size;
  BPL_Event* out_event;
} BPL_Buffer_ToHost_Args;
#define BPL_Buffer_ToHost_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Buffer_ToHost_Args, out_event)
typedef BPL_Error* BPL_Buffer_ToHost_Fn(BPL_Buffer_ToHost_Args* args);

/* Copies to another device of the same client (its default memory). */
typedef struct BPL_Buffer_CopyToDevice_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Buffer* buffer;
  BPL_Device* dst_device;
  BPL_Buffer* out_buffer;
} BPL_Buffer_CopyToDevice_Args;
#define BPL_Buffer_CopyToDevice_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Buffer_CopyToDevice_Args, out_buffer)
typedef BPL_Error* BPL_Buffer_CopyToDevice_Fn(
    BPL_Buffer_CopyToDevice_Args* args);

typedef struct BPL_Buffer_CopyToMemory_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Buffer* buffer;
  BPL_Memory* dst_memory;
  BPL_Buffer* out_buffer;
} BPL_Buffer_CopyToMemory_Args;
#define BPL_Buffer_CopyToMemory_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Buffer_CopyToMemory_Args, out_buffer)
typedef BPL_Error* BPL_Buffer_CopyToMemory_Fn(
    BPL_Buffer_CopyToMemory_Args* args);

/* A new event (owned by the caller) that completes when the buffer's
 * contents are ready, or with the error that prevented it. */
typedef struct BPL_Buffer_ReadyEvent_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Buffer* buffer;
  BPL_Event* out_event;
} BPL_Buffer_ReadyEvent_Args;
#define BPL_Buffer_ReadyEvent_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Buffer_ReadyEvent_Args, out_event)
typedef BPL_Error* BPL_Buffer_ReadyEvent_Fn(BPL_Buffer_ReadyEvent_Args* args);

/* ------------------------------------------------------------------------ */
/* Executable: a compiled program bound to a client and its devices.         */

typedef struct BPL_Executable_Destroy_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Executable* executable;
} BPL_Executable_Destroy_Args;
#define BPL_Executable_Destroy_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Executable_Destroy_Args, executable)
typedef BPL_Error* BPL_Executable_Destroy_Fn(BPL_Executable_Destroy_Args* args);

/* Releases the compiled code; the handle stays valid for queries. */
typedef BPL_Executable_Destroy_Args BPL_Executable_Delete_Args;
#define BPL_Executable_Delete_Args_STRUCT_SIZE \
  BPL_Executable_Destroy_Args_STRUCT_SIZE
typedef BPL_Error* BPL_Executable_Delete_Fn(BPL_Executable_Delete_Args* args);

typedef struct BPL_Executable_IsDeleted_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Executable* executable;
  bool out_is_deleted;
  uint8_t reserved[7];
} BPL_Executable_IsDeleted_Args;
#define BPL_Executable_IsDeleted_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Executable_IsDeleted_Args, reserved)
typedef BPL_Error* BPL_Executable_IsDeleted_Fn(
    BPL_Executable_IsDeleted_Args* args);

typedef struct BPL_Executable_Name_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Executable* executable;
  const char* out_name;
  size_t out_name_size;
} BPL_Executable_Name_Args;
#define BPL_Executable_Name_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Executable_Name_Args, out_name_size)
typedef BPL_Error* BPL_Executable_Name_Fn(BPL_Executable_Name_Args* args);

/* The devices the executable runs on, one per argument list of Execute. */
typedef struct BPL_Executable_Devices_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Executable* executable;
  BPL_Device* const* out_devices;
  size_t out_num_devices;
} BPL_Executable_Devices_Args;
#define BPL_Executable_Devices_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Executable_Devices_Args, out_num_devices)
typedef BPL_Error* BPL_Executable_Devices_Fn(BPL_Executable_Devices_Args* args);

/* Types and shapes of the entry function's parameters (or outputs). */
typedef struct BPL_Executable_ParameterShapes_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Executable* executable;
  const BPL_Shape* out_shapes; /* Owned by the executable. */
  size_t out_num_shapes;
} BPL_Executable_ParameterShapes_Args;
#define BPL_Executable_ParameterShapes_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Executable_ParameterShapes_Args, out_num_shapes)
typedef BPL_Error* BPL_Executable_ParameterShapes_Fn(
    BPL_Executable_ParameterShapes_Args* args);

typedef BPL_Executable_ParameterShapes_Args BPL_Executable_OutputShapes_Args;
#define BPL_Executable_OutputShapes_Args_STRUCT_SIZE \
  BPL_Executable_ParameterShapes_Args_STRUCT_SIZE
typedef BPL_Error* BPL_Executable_OutputShapes_Fn(
    BPL_Executable_OutputShapes_Args* args);

/* A stable identifier of the compiled code: equal programs compiled with
 * equal options by the same plugin version give equal fingerprints. */
typedef struct BPL_Executable_Fingerprint_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Executable* executable;
  const char* out_fingerprint;
  size_t out_fingerprint_size;
} BPL_Executable_Fingerprint_Args;
#define BPL_Executable_Fingerprint_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Executable_Fingerprint_Args, out_fingerprint_size)
typedef BPL_Error* BPL_Executable_Fingerprint_Fn(
    BPL_Executable_Fingerprint_Args* args);

/* Device memory the executable needs, in bytes; -1 when unknown. */
typedef struct BPL_Executable_MemoryStats_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Executable* executable;
  int64_t out_code_size_in_bytes;
  int64_t out_argument_size_in_bytes;
  int64_t out_output_size_in_bytes;
  int64_t out_alias_size_in_bytes;
  int64_t out_temp_size_in_bytes;
} BPL_Executable_MemoryStats_Args;
#define BPL_Executable_MemoryStats_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Executable_MemoryStats_Args, out_temp_size_in_bytes)
typedef BPL_Error* BPL_Executable_MemoryStats_Fn(
    BPL_Executable_MemoryStats_Args* args);

/* Serialises the executable. The bytes are owned by the plugin until the
 * caller passes `out_bytes_handle` to `out_bytes_deleter`. */
typedef struct BPL_Executable_Serialize_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Executable* executable;
  const char* out_bytes;
  size_t out_bytes_size;
  void* out_bytes_handle;
  void (*out_bytes_deleter)(void* bytes_handle);
} BPL_Executable_Serialize_Args;
#define BPL_Executable_Serialize_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Executable_Serialize_Args, out_bytes_deleter)
typedef BPL_Error* BPL_Executable_Serialize_Fn(
    BPL_Executable_Serialize_Args* args);

typedef struct BPL_ExecuteOptions {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  /* Parameters the executable may donate (declared at compile time with
   * the "donated_parameters" option or a `jax.buffer_donor` /
   * `tf.aliasing_output` argument attribute) but that must not be donated in
   * this call. */
  const int64_t* non_donatable_input_indices;
  size_t num_non_donatable_input_indices;
  /* Identifies the launch across devices for collectives; 0 if unused. */
  int64_t launch_id;
  /* Since 1.2. Time limit in nanoseconds, relative to the Execute call; 0
   * (the default) for none, negative is INVALID_ARGUMENT. An execution still
   * running when it expires ends with DEADLINE_EXCEEDED on its output ready
   * events and device_complete_events; the device stays usable. A plugin
   * whose executable cannot honour a deadline returns UNIMPLEMENTED from
   * Execute instead of ignoring it (1.0 and 1.1 plugins do not read the
   * field: check Plugin_Attributes' abi_version before relying on it). */
  int64_t deadline_ns;
} BPL_ExecuteOptions;
#define BPL_ExecuteOptions_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_ExecuteOptions, deadline_ns)

/* Runs the executable once per device. `argument_lists[d][p]` is parameter
 * p on device d of the executable's devices; `output_lists[d]` points to
 * caller-provided room for the outputs of device d (see OutputShapes).
 * Execution is asynchronous: outputs are returned at once and become ready
 * later; an error during execution completes their ready events (and
 * `device_complete_events`) with that error. Argument-count, type, shape and
 * device mismatches are INVALID_ARGUMENT, reported before anything runs.
 * A donated argument is deleted once execute returns. */
typedef struct BPL_Executable_Execute_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Executable* executable;
  const BPL_ExecuteOptions* options; /* NULL for defaults. */
  BPL_Buffer* const* const* argument_lists;
  size_t num_devices;
  size_t num_args;
  /* Optional: execution waits for these framework or plugin events. */
  BPL_Event* const* wait_events;
  size_t num_wait_events;
  BPL_Buffer** const* output_lists;
  /* Optional: caller-provided array of num_devices event slots, filled with
   * events (owned by the caller) that complete when each device is done. */
  BPL_Event** device_complete_events;
} BPL_Executable_Execute_Args;
#define BPL_Executable_Execute_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Executable_Execute_Args, device_complete_events)
typedef BPL_Error* BPL_Executable_Execute_Fn(BPL_Executable_Execute_Args* args);

/* Since 1.2. Cancels every execution of `executable` started before this
 * call that has not completed: each ends, as soon as the plugin notices
 * (between ops or loop iterations), with CANCELLED on its output ready
 * events and device_complete_events. Completed executions and executions
 * started later are unaffected; the device stays usable. Returns at once
 * (it does not wait for the executions to end); OK also when nothing was
 * running. UNIMPLEMENTED when the executable cannot be cancelled. */
typedef struct BPL_Executable_Cancel_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_Executable* executable;
} BPL_Executable_Cancel_Args;
#define BPL_Executable_Cancel_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_Executable_Cancel_Args, executable)
typedef BPL_Error* BPL_Executable_Cancel_Fn(BPL_Executable_Cancel_Args* args);

/* ------------------------------------------------------------------------ */
/* Extension: profiling and execution statistics (BPL_EXTENSION_PROFILING).  */

/* Chain this into BPL_Executable_Execute_Args.extension_start to ask for
 * statistics. A plugin that supports it fills `out_statistics[d]` for each
 * device d (caller-provided array of num_devices slots); the statistics are
 * complete once that device's work completes. Unsupported: slots stay NULL. */
typedef struct BPL_ExecuteStatisticsRequest {
  BPL_ExtensionBase base; /* type BPL_EXTENSION_EXECUTE_STATISTICS_REQUEST */
  BPL_ExecutionStatistics** out_statistics;
} BPL_ExecuteStatisticsRequest;

/* Statistics as named values. Every plugin reports "wall_ns" (int64); a
 * simulator adds "cycles" and more (docs/abi.md lists the names); a per-op
 * breakdown, when present, is the string "ops_json". FAILED_PRECONDITION
 * until the execution completed. */
typedef struct BPL_ExecutionStatistics_Get_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_ExecutionStatistics* statistics;
  const BPL_NamedValue* out_values; /* Owned by `statistics`. */
  size_t out_num_values;
} BPL_ExecutionStatistics_Get_Args;
#define BPL_ExecutionStatistics_Get_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_ExecutionStatistics_Get_Args, out_num_values)
typedef BPL_Error* BPL_ExecutionStatistics_Get_Fn(
    BPL_ExecutionStatistics_Get_Args* args);

typedef struct BPL_ExecutionStatistics_Destroy_Args {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  BPL_ExecutionStatistics* statistics;
} BPL_ExecutionStatistics_Destroy_Args;
#define BPL_ExecutionStatistics_Destroy_Args_STRUCT_SIZE \
  BPL_STRUCT_SIZE(BPL_ExecutionStatistics_Destroy_Args, statistics)
typedef BPL_Error* BPL_ExecutionStatistics_Destroy_Fn(
    BPL_ExecutionStatistics_Destroy_Args* args);

typedef struct BPL_ProfilingExtension {
  BPL_ExtensionBase base; /* type BPL_EXTENSION_PROFILING, version 1 */
  BPL_ExecutionStatistics_Get_Fn* ExecutionStatistics_Get;
  BPL_ExecutionStatistics_Destroy_Fn* ExecutionStatistics_Destroy;
} BPL_ProfilingExtension;

/* ------------------------------------------------------------------------ */
/* The function table.                                                       */

typedef struct BPL_Api {
  size_t struct_size;
  const BPL_ExtensionBase* extension_start;
  int64_t abi_major;
  int64_t abi_minor;

  BPL_Error_Destroy_Fn* Error_Destroy;
  BPL_Error_Message_Fn* Error_Message;
  BPL_Error_GetCode_Fn* Error_GetCode;

  BPL_Plugin_Initialize_Fn* Plugin_Initialize;
  BPL_Plugin_Attributes_Fn* Plugin_Attributes;

  BPL_Event_Destroy_Fn* Event_Destroy;
  BPL_Event_IsReady_Fn* Event_IsReady;
  BPL_Event_Error_Fn* Event_Error;
  BPL_Event_Await_Fn* Event_Await;
  BPL_Event_OnReady_Fn* Event_OnReady;
  BPL_Event_Create_Fn* Event_Create;
  BPL_Event_Set_Fn* Event_Set;

  BPL_Client_Create_Fn* Client_Create;
  BPL_Client_Destroy_Fn* Client_Destroy;
  BPL_Client_PlatformName_Fn* Client_PlatformName;
  BPL_Client_PlatformVersion_Fn* Client_PlatformVersion;
  BPL_Client_Devices_Fn* Client_Devices;
  BPL_Client_AddressableDevices_Fn* Client_AddressableDevices;
  BPL_Client_LookupDevice_Fn* Client_LookupDevice;
  BPL_Client_AddressableMemories_Fn* Client_AddressableMemories;
  BPL_Client_Compile_Fn* Client_Compile;
  BPL_Client_DeserializeExecutable_Fn* Client_DeserializeExecutable;
  BPL_Client_BufferFromHost_Fn* Client_BufferFromHost;

  BPL_DeviceDescription_Id_Fn* DeviceDescription_Id;
  BPL_DeviceDescription_Kind_Fn* DeviceDescription_Kind;
  BPL_DeviceDescription_Attributes_Fn* DeviceDescription_Attributes;
  BPL_DeviceDescription_DebugString_Fn* DeviceDescription_DebugString;

  BPL_Device_GetDescription_Fn* Device_GetDescription;
  BPL_Device_IsAddressable_Fn* Device_IsAddressable;
  BPL_Device_Memories_Fn* Device_Memories;
  BPL_Device_DefaultMemory_Fn* Device_DefaultMemory;
  BPL_Device_MemoryStats_Fn* Device_MemoryStats;

  BPL_Memory_Id_Fn* Memory_Id;
  BPL_Memory_Kind_Fn* Memory_Kind;
  BPL_Memory_Devices_Fn* Memory_Devices;

  BPL_Buffer_Destroy_Fn* Buffer_Destroy;
  BPL_Buffer_Delete_Fn* Buffer_Delete;
  BPL_Buffer_IsDeleted_Fn* Buffer_IsDeleted;
  BPL_Buffer_Shape_Fn* Buffer_Shape;
  BPL_Buffer_OnDeviceSizeInBytes_Fn* Buffer_OnDeviceSizeInBytes;
  BPL_Buffer_Device_Fn* Buffer_Device;
  BPL_Buffer_Memory_Fn* Buffer_Memory;
  BPL_Buffer_ToHost_Fn* Buffer_ToHost;
  BPL_Buffer_CopyToDevice_Fn* Buffer_CopyToDevice;
  BPL_Buffer_CopyToMemory_Fn* Buffer_CopyToMemory;
  BPL_Buffer_ReadyEvent_Fn* Buffer_ReadyEvent;

  BPL_Executable_Destroy_Fn* Executable_Destroy;
  BPL_Executable_Delete_Fn* Executable_Delete;
  BPL_Executable_IsDeleted_Fn* Executable_IsDeleted;
  BPL_Executable_Name_Fn* Executable_Name;
  BPL_Executable_Devices_Fn* Executable_Devices;
  BPL_Executable_ParameterShapes_Fn* Executable_ParameterShapes;
  BPL_Executable_OutputShapes_Fn* Executable_OutputShapes;
  BPL_Executable_Fingerprint_Fn* Executable_Fingerprint;
  BPL_Executable_MemoryStats_Fn* Executable_MemoryStats;
  BPL_Executable_Serialize_Fn* Executable_Serialize;
  BPL_Executable_Execute_Fn* Executable_Execute;

  /* Since 1.2. */
  BPL_Executable_Cancel_Fn* Executable_Cancel;
} BPL_Api;
#define BPL_Api_STRUCT_SIZE BPL_STRUCT_SIZE(BPL_Api, Executable_Cancel)

/* The one symbol a plugin exports. Returns a table that lives as long as the
 * library stays loaded. */
typedef const BPL_Api* BPL_GetApi_Fn(void);
#define BPL_GET_API_SYMBOL "BPL_GetApi"

#if defined(_WIN32)
#define BPL_EXPORT __declspec(dllexport)
#else
#define BPL_EXPORT __attribute__((visibility("default")))
#endif

/* ------------------------------------------------------------------------ */
/* Compile-time proof that every STRUCT_SIZE names its struct's real last
 * field: that field is 8 bytes wide (the rule for args structs) and ends
 * exactly at the struct's end, so no field can follow it. A C99 idiom: an
 * array of negative size fails to compile. */
#define BPL_CHECK_STRUCT_SIZE(type)                                    \
  typedef char BPL_struct_size_check_##type                            \
      [(type##_STRUCT_SIZE == sizeof(type)) ? 1 : -1]

BPL_CHECK_STRUCT_SIZE(BPL_NamedValue);
BPL_CHECK_STRUCT_SIZE(BPL_Program);
BPL_CHECK_STRUCT_SIZE(BPL_ExecuteOptions);
BPL_CHECK_STRUCT_SIZE(BPL_Error_Destroy_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Error_Message_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Error_GetCode_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Plugin_Initialize_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Plugin_Attributes_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Event_Destroy_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Event_IsReady_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Event_Error_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Event_Await_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Event_OnReady_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Event_Create_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Event_Set_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Client_Create_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Client_Destroy_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Client_PlatformName_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Client_PlatformVersion_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Client_Devices_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Client_LookupDevice_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Client_AddressableMemories_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Client_Compile_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Client_DeserializeExecutable_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Client_BufferFromHost_Args);
BPL_CHECK_STRUCT_SIZE(BPL_DeviceDescription_Id_Args);
BPL_CHECK_STRUCT_SIZE(BPL_DeviceDescription_Kind_Args);
BPL_CHECK_STRUCT_SIZE(BPL_DeviceDescription_Attributes_Args);
BPL_CHECK_STRUCT_SIZE(BPL_DeviceDescription_DebugString_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Device_GetDescription_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Device_IsAddressable_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Device_Memories_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Device_DefaultMemory_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Device_MemoryStats_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Memory_Id_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Memory_Kind_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Memory_Devices_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Buffer_Destroy_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Buffer_Delete_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Buffer_IsDeleted_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Buffer_Shape_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Buffer_OnDeviceSizeInBytes_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Buffer_Device_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Buffer_Memory_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Buffer_ToHost_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Buffer_CopyToDevice_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Buffer_CopyToMemory_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Buffer_ReadyEvent_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Executable_Destroy_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Executable_IsDeleted_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Executable_Name_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Executable_Devices_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Executable_ParameterShapes_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Executable_Fingerprint_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Executable_MemoryStats_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Executable_Serialize_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Executable_Execute_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Executable_Cancel_Args);
BPL_CHECK_STRUCT_SIZE(BPL_ExecutionStatistics_Get_Args);
BPL_CHECK_STRUCT_SIZE(BPL_ExecutionStatistics_Destroy_Args);
BPL_CHECK_STRUCT_SIZE(BPL_Api);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* BACKPLANE_API_BACKPLANE_C_API_H_ */
