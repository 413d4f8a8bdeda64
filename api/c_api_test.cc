// The ABI header compiled as C++, and the layout rules the compatibility
// contract depends on.
#include <cstddef>
#include <type_traits>

#include "api/backplane_c_api.h"
#include "gtest/gtest.h"

namespace {

template <typename T>
void ExpectArgsLayout(size_t struct_size) {
  static_assert(std::is_standard_layout<T>::value, "C layout");
  static_assert(std::is_trivially_copyable<T>::value, "plain data");
  EXPECT_EQ(offsetof(T, struct_size), 0u);
  EXPECT_EQ(offsetof(T, extension_start), sizeof(size_t));
  EXPECT_EQ(struct_size, sizeof(T));
  EXPECT_EQ(sizeof(T) % 8, 0u);
}

#define EXPECT_ARGS(T) ExpectArgsLayout<T>(T##_STRUCT_SIZE)

TEST(CApiTest, EveryArgsStructStartsWithSizeAndExtension) {
  EXPECT_ARGS(BPL_Error_Destroy_Args);
  EXPECT_ARGS(BPL_Error_Message_Args);
  EXPECT_ARGS(BPL_Error_GetCode_Args);
  EXPECT_ARGS(BPL_Plugin_Initialize_Args);
  EXPECT_ARGS(BPL_Plugin_Attributes_Args);
  EXPECT_ARGS(BPL_Event_Destroy_Args);
  EXPECT_ARGS(BPL_Event_IsReady_Args);
  EXPECT_ARGS(BPL_Event_Error_Args);
  EXPECT_ARGS(BPL_Event_Await_Args);
  EXPECT_ARGS(BPL_Event_OnReady_Args);
  EXPECT_ARGS(BPL_Event_Create_Args);
  EXPECT_ARGS(BPL_Event_Set_Args);
  EXPECT_ARGS(BPL_Client_Create_Args);
  EXPECT_ARGS(BPL_Client_Destroy_Args);
  EXPECT_ARGS(BPL_Client_PlatformName_Args);
  EXPECT_ARGS(BPL_Client_PlatformVersion_Args);
  EXPECT_ARGS(BPL_Client_Devices_Args);
  EXPECT_ARGS(BPL_Client_LookupDevice_Args);
  EXPECT_ARGS(BPL_Client_AddressableMemories_Args);
  EXPECT_ARGS(BPL_Client_Compile_Args);
  EXPECT_ARGS(BPL_Client_DeserializeExecutable_Args);
  EXPECT_ARGS(BPL_Client_BufferFromHost_Args);
  EXPECT_ARGS(BPL_DeviceDescription_Id_Args);
  EXPECT_ARGS(BPL_DeviceDescription_Kind_Args);
  EXPECT_ARGS(BPL_DeviceDescription_Attributes_Args);
  EXPECT_ARGS(BPL_DeviceDescription_DebugString_Args);
  EXPECT_ARGS(BPL_Device_GetDescription_Args);
  EXPECT_ARGS(BPL_Device_IsAddressable_Args);
  EXPECT_ARGS(BPL_Device_Memories_Args);
  EXPECT_ARGS(BPL_Device_DefaultMemory_Args);
  EXPECT_ARGS(BPL_Device_MemoryStats_Args);
  EXPECT_ARGS(BPL_Memory_Id_Args);
  EXPECT_ARGS(BPL_Memory_Kind_Args);
  EXPECT_ARGS(BPL_Memory_Devices_Args);
  EXPECT_ARGS(BPL_Buffer_Destroy_Args);
  EXPECT_ARGS(BPL_Buffer_Delete_Args);
  EXPECT_ARGS(BPL_Buffer_IsDeleted_Args);
  EXPECT_ARGS(BPL_Buffer_Shape_Args);
  EXPECT_ARGS(BPL_Buffer_OnDeviceSizeInBytes_Args);
  EXPECT_ARGS(BPL_Buffer_Device_Args);
  EXPECT_ARGS(BPL_Buffer_Memory_Args);
  EXPECT_ARGS(BPL_Buffer_ToHost_Args);
  EXPECT_ARGS(BPL_Buffer_CopyToDevice_Args);
  EXPECT_ARGS(BPL_Buffer_CopyToMemory_Args);
  EXPECT_ARGS(BPL_Buffer_ReadyEvent_Args);
  EXPECT_ARGS(BPL_Executable_Destroy_Args);
  EXPECT_ARGS(BPL_Executable_IsDeleted_Args);
  EXPECT_ARGS(BPL_Executable_Name_Args);
  EXPECT_ARGS(BPL_Executable_Devices_Args);
  EXPECT_ARGS(BPL_Executable_ParameterShapes_Args);
  EXPECT_ARGS(BPL_Executable_Fingerprint_Args);
  EXPECT_ARGS(BPL_Executable_MemoryStats_Args);
  EXPECT_ARGS(BPL_Executable_Serialize_Args);
  EXPECT_ARGS(BPL_Executable_Execute_Args);
  EXPECT_ARGS(BPL_ExecutionStatistics_Get_Args);
  EXPECT_ARGS(BPL_ExecutionStatistics_Destroy_Args);
  EXPECT_ARGS(BPL_Program);
  EXPECT_ARGS(BPL_ExecuteOptions);
  EXPECT_EQ(BPL_NamedValue_STRUCT_SIZE, sizeof(BPL_NamedValue));
}

TEST(CApiTest, TableStartsWithSizeExtensionAndVersion) {
  EXPECT_EQ(offsetof(BPL_Api, struct_size), 0u);
  EXPECT_EQ(offsetof(BPL_Api, extension_start), 8u);
  EXPECT_EQ(offsetof(BPL_Api, abi_major), 16u);
  EXPECT_EQ(offsetof(BPL_Api, abi_minor), 24u);
  EXPECT_EQ(offsetof(BPL_Api, Error_Destroy), 32u);
  EXPECT_EQ(BPL_Api_STRUCT_SIZE, sizeof(BPL_Api));
}

// Freezes the v1 layout: a change here breaks every built plugin, which a
// minor version must never do. Update only with a major version bump.
TEST(CApiTest, Version1LayoutIsFrozen) {
  EXPECT_EQ(sizeof(BPL_NamedValue), 48u);
  EXPECT_EQ(sizeof(BPL_Shape), 24u);
  EXPECT_EQ(offsetof(BPL_Api, Executable_Execute), 32u + 56u * 8u);
  // Appended in 1.2.
  EXPECT_EQ(offsetof(BPL_Api, Executable_Cancel), 32u + 57u * 8u);
  EXPECT_EQ(offsetof(BPL_ExecuteOptions, deadline_ns),
            offsetof(BPL_ExecuteOptions, launch_id) + 8u);
  EXPECT_EQ(BPL_ELEMENT_TYPE_C128, 19);
  // Appended in 1.1.
  EXPECT_EQ(BPL_ELEMENT_TYPE_F8E5M2, 20);
  EXPECT_EQ(BPL_ELEMENT_TYPE_F8E4M3FN, 21);
  EXPECT_EQ(BPL_ELEMENT_TYPE_F6E3M2FN, 30);
  EXPECT_EQ(BPL_CODE_UNAUTHENTICATED, 16);
  EXPECT_EQ(BPL_HOST_BUFFER_MUTABLE_ZERO_COPY, 3);
}

TEST(CApiTest, ApiHasChecksTableSizeBeforeReadingAnEntry) {
  BPL_Api api{};
  api.struct_size = offsetof(BPL_Api, Client_Create);
  api.Client_Destroy = nullptr;
  EXPECT_FALSE(BPL_API_HAS(&api, Client_Create));
  api.struct_size = BPL_Api_STRUCT_SIZE;
  EXPECT_FALSE(BPL_API_HAS(&api, Client_Create));  // NULL entry.
  const BPL_Api* none = nullptr;
  EXPECT_FALSE(BPL_API_HAS(none, Client_Create));
}

}  // namespace
