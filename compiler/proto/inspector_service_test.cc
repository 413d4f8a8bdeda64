// Proves the cc_proto macro's gRPC extension and cross-file imports: an
// in-process server answers an RPC whose request is an ir.proto Module.
#include <memory>

#include "compiler/proto/inspector_service_test.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

namespace backplane::ir::proto::test {
namespace {

class Inspector final : public ModuleInspector::Service {
  grpc::Status ListFunctions(grpc::ServerContext*, const Module* request,
                             FunctionNames* reply) override {
    for (const Function& f : request->functions()) reply->add_names(f.name());
    return grpc::Status::OK;
  }
};

TEST(CcProtoGrpcTest, InProcessCallWorks) {
  Inspector service;
  grpc::ServerBuilder builder;
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  std::unique_ptr<ModuleInspector::Stub> stub =
      ModuleInspector::NewStub(server->InProcessChannel({}));
  Module module;
  module.add_functions()->set_name("main");
  module.add_functions()->set_name("helper");
  FunctionNames reply;
  grpc::ClientContext context;
  grpc::Status status = stub->ListFunctions(&context, module, &reply);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(reply.names_size(), 2);
  EXPECT_EQ(reply.names(0), "main");
  EXPECT_EQ(reply.names(1), "helper");
  server->Shutdown();
}

}  // namespace
}  // namespace backplane::ir::proto::test
