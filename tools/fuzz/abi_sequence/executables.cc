// Executable actions: compile valid and invalid programs, serialise and
// deserialise (corrupted, foreign) bytes, execute with valid and hostile
// arguments, deadlines, cancel, delete and destroy.
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "tools/fuzz/abi_sequence/actions.h"

namespace backplane::fuzz {

namespace {

struct Shape {
  int element_type = 0;
  std::vector<int64_t> dims;
};

BPL_NamedValue IntOption(const char* name, int64_t value) {
  BPL_NamedValue v{};
  v.struct_size = BPL_NamedValue_STRUCT_SIZE;
  v.name = name;
  v.name_size = std::strlen(name);
  v.type = BPL_VALUE_INT64;
  v.value.int64_value = value;
  return v;
}

// The compile options of a variant, and what Compile must answer.
Expect CompileOptions(Bytes& in, int variant, std::vector<BPL_NamedValue>* o) {
  if (variant == 9) {
    int64_t level = in.OneIn(2) ? 4 + static_cast<int64_t>(in.Pick(100))
                                : -1 - static_cast<int64_t>(in.Pick(3));
    o->push_back(IntOption("optimization_level", level));
    return Expect::kInvalidArgument;
  }
  if (variant == 10) {
    uint8_t m = in.U8() % 3;
    if (m == 0) {
      o->push_back(IntOption("fuzz_unknown_option", 1));
      return Expect::kInvalidArgument;
    }
    if (m == 1) {  // Another plugin's option: ignored.
      o->push_back(IntOption("no_such_plugin.fuzz_key", 1));
      return Expect::kOk;
    }
    BPL_NamedValue v{};
    v.struct_size = BPL_NamedValue_STRUCT_SIZE;
    v.name = "optimization_level";
    v.name_size = std::strlen(v.name);
    v.type = BPL_VALUE_STRING;
    v.value.string_value = "2";
    v.value_size = 1;
    o->push_back(v);
    return Expect::kInvalidArgument;
  }
  if (variant < 6 && in.OneIn(3)) {
    o->push_back(IntOption("optimization_level", in.Pick(4)));
  }
  return variant < 6 ? Expect::kOk : Expect::kError;
}

// The program text of a variant (6 garbage, 7 truncated, others valid).
std::string CompileCode(Bytes& in, int variant, int program) {
  std::string code = ProgramText(program);
  if (variant == 6) {
    code.resize(in.Pick(64));
    for (char& c : code) c = static_cast<char>(in.U8());
  } else if (variant == 7) {
    code.resize(in.Pick(code.size()));
  }
  return code;
}

int AddExecutable(Runner& r, int p, void* ptr, int client, int program) {
  Obj e;
  e.kind = Kind::kExecutable;
  e.plugin = p;
  e.ptr = ptr;
  e.client = client;
  e.program = program;
  return r.Add(std::move(e));
}

// The parameter or output shapes of a live executable.
absl::Status Shapes(Runner& r, int exe, bool outputs, std::vector<Shape>* s) {
  const Obj& e = r.obj(exe);
  if (e.program == kAddProgram) {
    s->assign(outputs ? 1 : 2, Shape{BPL_ELEMENT_TYPE_F32, {4}});
    return absl::OkStatus();
  }
  if (e.program != kUnknownProgram) {
    s->assign(1, Shape{BPL_ELEMENT_TYPE_S32, {}});
    return absl::OkStatus();
  }
  const int p = e.plugin;
  BPL_Executable_ParameterShapes_Args args{};
  args.executable = static_cast<BPL_Executable*>(e.ptr);
  absl::Status result;
  auto fn = outputs ? r.api(p)->Executable_OutputShapes
                    : r.api(p)->Executable_ParameterShapes;
  RETURN_IF_ERROR(
      r.Call(outputs ? "Executable_OutputShapes" : "Executable_ParameterShapes",
             p, fn, args, Expect::kAny, &result, false));
  if (!result.ok()) return absl::OkStatus();
  for (size_t i = 0; i < args.out_num_shapes && i < 8; ++i) {
    const BPL_Shape& shape = args.out_shapes[i];
    Shape out;
    std::memcpy(&out.element_type, &shape.element_type, sizeof(int));
    out.dims.assign(shape.dims, shape.dims + shape.num_dims);
    s->push_back(std::move(out));
  }
  return absl::OkStatus();
}

// A healthy buffer of `client` with `shape`, uploading one if none.
absl::Status ArgumentFor(Runner& r, int client, const Shape& shape,
                         int* index) {
  std::vector<Obj>& pool = r.pool();
  for (size_t i = 0; i < pool.size(); ++i) {
    const Obj& o = pool[i];
    if (o.kind == Kind::kBuffer && o.client == client &&
        r.Healthy(static_cast<int>(i)) &&
        o.element_type == shape.element_type && o.dims == shape.dims &&
        r.in().OneIn(2)) {
      *index = static_cast<int>(i);
      return absl::OkStatus();
    }
  }
  return UploadKnown(r, client, shape.element_type, shape.dims, index);
}

// What one Execute sends.
struct Launch {
  int exe = -1;
  std::vector<int> arg_index;
  std::vector<BPL_Buffer*> argv;
  std::vector<BPL_Event*> wait;
  bool may_block = false;
  bool certain = true;   // No deadline, no wait events: the outcome is known.
  bool complete = true;  // An argument for every parameter.
  BPL_ExecuteOptions options{};
  std::vector<Shape> outputs;
};

absl::Status ChooseArguments(Runner& r, Launch* l) {
  const Obj& e = r.obj(l->exe);
  std::vector<Shape> params;
  RETURN_IF_ERROR(Shapes(r, l->exe, false, &params));
  RETURN_IF_ERROR(Shapes(r, l->exe, true, &l->outputs));
  const int client = e.client;
  l->complete = e.program != kUnknownProgram;
  for (const Shape& shape : params) {
    int index = -1;
    if (client >= 0 && r.obj(client).live) {
      RETURN_IF_ERROR(ArgumentFor(r, client, shape, &index));
    } else {
      index = r.PickLive(Kind::kBuffer, r.obj(l->exe).plugin);
    }
    if (index < 0) {
      l->complete = false;
      return absl::OkStatus();
    }
    l->arg_index.push_back(index);
    l->argv.push_back(static_cast<BPL_Buffer*>(r.obj(index).ptr));
    l->may_block = l->may_block || r.obj(index).may_block;
  }
  return absl::OkStatus();
}

// Applies a hostile variant to a launch; returns what Execute must answer.
Expect Mutate(Runner& r, int variant, Launch* l, size_t* num_args,
              size_t* num_devices, bool* null_lists) {
  const int p = r.obj(l->exe).plugin;
  switch (variant) {
    case 4:
      *num_args =
          l->argv.size() + (r.in().OneIn(2) || l->argv.empty() ? 1 : -1);
      return Expect::kInvalidArgument;
    case 5:
      *num_devices = r.in().OneIn(2) ? 0 : 2;
      return Expect::kInvalidArgument;
    case 6:
      if (!l->argv.empty()) {
        Pick bad = r.PickBad(Kind::kBuffer, p);
        l->argv[r.in().Pick(l->argv.size())] =
            static_cast<BPL_Buffer*>(bad.ptr);
        return Expect::kInvalidArgument;
      }
      return Expect::kOk;
    case 7:
      if (!l->argv.empty()) {
        int other = r.PickLive(Kind::kBuffer, p);
        if (other >= 0 && r.obj(other).client != r.obj(l->exe).client) {
          l->argv[r.in().Pick(l->argv.size())] =
              static_cast<BPL_Buffer*>(r.obj(other).ptr);
          return Expect::kError;
        }
      }
      return Expect::kOk;
    case 8:
      *null_lists = true;
      return l->argv.empty() ? Expect::kAny : Expect::kError;
    case 9:
      l->options.deadline_ns = -1 - static_cast<int64_t>(r.in().Pick(1000));
      return Expect::kInvalidArgument;
    default:
      return Expect::kOk;
  }
}

void AddWaitAndDeadline(Runner& r, Launch* l, Expect* expect) {
  const Obj& e = r.obj(l->exe);
  if (r.in().OneIn(4)) {
    Pick w = r.PickFor(Kind::kEvent, e.plugin);
    if (w.index >= 0 || w.bad) {
      l->wait.push_back(static_cast<BPL_Event*>(w.ptr));
      l->certain = false;
      if (w.bad) *expect = ExpectFor(r, w, *expect);
      if (w.index >= 0) {
        const Obj& o = r.obj(w.index);
        l->may_block = l->may_block || o.may_block || (o.framework && !o.set);
      }
    }
  }
  if (l->options.deadline_ns != 0) return;
  if (e.program != kAddProgram) {
    // Loops always get a deadline, so none can run forever.
    l->options.deadline_ns =
        1000000 * (1 + static_cast<int64_t>(r.in().Pick(100)));
    l->certain = false;
  } else if (r.in().OneIn(8)) {
    l->options.deadline_ns = 1 + static_cast<int64_t>(r.in().Pick(1000));
    l->certain = false;
  }
}

// Takes the outputs and completion event of a successful launch.
absl::Status TakeOutputs(Runner& r, const Launch& l, BPL_Buffer** outputs,
                         BPL_Event* done) {
  const Obj& e = r.obj(l.exe);
  const int p = e.plugin;
  for (size_t k = 0; k < l.outputs.size(); ++k) {
    if (outputs[k] == nullptr) return r.Finding("Execute gave a NULL output");
    Obj b;
    b.kind = Kind::kBuffer;
    b.plugin = p;
    b.ptr = outputs[k];
    b.client = r.obj(l.exe).client;
    b.producer = l.exe;
    b.element_type = l.outputs[k].element_type;
    b.dims = l.outputs[k].dims;
    b.may_block = l.may_block;
    if (r.obj(l.exe).program == kAddProgram && l.certain &&
        l.arg_index.size() == 2 && r.obj(l.arg_index[0]).known &&
        r.obj(l.arg_index[1]).known) {
      b.known = true;
      for (size_t i = 0; i < 4; ++i) {
        b.values.push_back(r.obj(l.arg_index[0]).values[i] +
                           r.obj(l.arg_index[1]).values[i]);
      }
    }
    r.Add(std::move(b));
  }
  if (done == nullptr) return r.Finding("Execute gave no completion event");
  RETURN_IF_ERROR(r.Track(p, done, false, false));
  Obj ev;
  ev.kind = Kind::kEvent;
  ev.plugin = p;
  ev.ptr = done;
  ev.may_block = l.may_block;
  r.Add(std::move(ev));
  return absl::OkStatus();
}

absl::Status Launch1(Runner& r, Launch& l, Expect expect, size_t num_args,
                     size_t num_devices, bool null_lists, bool fuzz_size) {
  const int p = r.obj(l.exe).plugin;
  l.options.struct_size = BPL_ExecuteOptions_STRUCT_SIZE;
  l.argv.resize(std::max(l.argv.size(), num_args) + 1, nullptr);
  BPL_Buffer* const* lists[2] = {l.argv.data(), l.argv.data()};
  std::vector<BPL_Buffer*> out0(l.outputs.size() + 1), out1(out0.size());
  BPL_Buffer** out_lists[2] = {out0.data(), out1.data()};
  BPL_Event* done[2] = {nullptr, nullptr};
  BPL_Executable_Execute_Args args{};
  args.executable = static_cast<BPL_Executable*>(r.obj(l.exe).ptr);
  args.options = &l.options;
  args.argument_lists = null_lists ? nullptr : lists;
  args.num_devices = num_devices;
  args.num_args = num_args;
  args.wait_events = l.wait.empty() ? nullptr : l.wait.data();
  args.num_wait_events = l.wait.size();
  args.output_lists = out_lists;
  args.device_complete_events = done;
  absl::Status result;
  RETURN_IF_ERROR(r.Call("Executable_Execute", p, r.api(p)->Executable_Execute,
                         args, expect, &result, fuzz_size));
  if (!result.ok()) return absl::OkStatus();
  if (num_devices != 1) return r.Finding("Execute ran on a wrong device count");
  return TakeOutputs(r, l, out0.data(), done[0]);
}

}  // namespace

absl::Status Compile(Runner& r) {
  int p = static_cast<int>(r.in().Pick(r.num_plugins()));
  Pick client = r.PickFor(Kind::kClient, p);
  int variant = static_cast<int>(r.in().Pick(12));
  int program = variant < 6 ? variant % kNumPrograms
                            : static_cast<int>(r.in().Pick(kNumPrograms));
  std::vector<BPL_NamedValue> options;
  Expect expect = CompileOptions(r.in(), variant, &options);
  std::string code = CompileCode(r.in(), variant, program);
  BPL_Program text{};
  text.struct_size = BPL_Program_STRUCT_SIZE;
  text.format = variant == 8 ? (r.in().OneIn(2) ? "hlo" : "") : "stablehlo";
  text.format_size = std::strlen(text.format);
  text.code = code.data();
  text.code_size = code.size();
  BPL_Client_Compile_Args args{};
  args.client = static_cast<BPL_Client*>(client.ptr);
  args.program = &text;
  if (variant == 11) {
    if (r.in().OneIn(2)) {
      args.program = nullptr;
      expect = Expect::kError;
    } else {
      text.struct_size = r.in().Pick(BPL_Program_STRUCT_SIZE);
      expect = Expect::kInvalidArgument;
    }
  }
  args.compile_options = options.empty() ? nullptr : options.data();
  args.num_compile_options = options.size();
  BPL_Device* device = nullptr;
  if (r.in().OneIn(6)) {
    Pick d = client.index >= 0 && !client.bad && r.in().OneIn(2)
                 ? Pick{r.obj(client.index).device,
                        r.obj(r.obj(client.index).device).ptr, false, "own"}
                 : r.PickBad(Kind::kDevice, p);
    device = static_cast<BPL_Device*>(d.ptr);
    args.devices = &device;
    args.num_devices = 1;
    if (d.bad) expect = ExpectFor(r, d, expect);
  }
  expect = ExpectFor(r, client, expect);
  absl::Status result;
  RETURN_IF_ERROR(r.Call("Client_Compile", p, r.api(p)->Client_Compile, args,
                         expect, &result));
  if (!result.ok()) return absl::OkStatus();
  if (args.out_executable == nullptr) return r.Finding("OK with NULL");
  AddExecutable(r, p, args.out_executable, client.index,
                variant < 6 || variant == 10 ? program : kUnknownProgram);
  return absl::OkStatus();
}

absl::Status Serialize(Runner& r) {
  int p = static_cast<int>(r.in().Pick(r.num_plugins()));
  Pick exe = r.PickFor(Kind::kExecutable, p);
  BPL_Executable_Serialize_Args args{};
  args.executable = static_cast<BPL_Executable*>(exe.ptr);
  absl::Status result;
  RETURN_IF_ERROR(r.Call("Executable_Serialize", p,
                         r.api(p)->Executable_Serialize, args,
                         ExpectFor(r, exe, Expect::kOk), &result));
  if (!result.ok()) return absl::OkStatus();
  if (args.out_bytes_deleter == nullptr || exe.index < 0) {
    return r.Finding("Serialize gave no deleter");
  }
  r.blobs().push_back(
      Runner::Blob{p, r.obj(exe.index).program,
                   std::string(args.out_bytes, args.out_bytes_size)});
  args.out_bytes_deleter(args.out_bytes_handle);
  return absl::OkStatus();
}

absl::Status SerializeOrDeserialize(Runner& r) {
  if (r.blobs().empty() || r.in().OneIn(3)) return Serialize(r);
  const Runner::Blob blob = r.blobs()[r.in().Pick(r.blobs().size())];
  int p = blob.plugin;
  bool foreign = r.num_plugins() > 1 && r.in().OneIn(4);
  if (foreign) p = (p + 1 + r.in().Pick(r.num_plugins() - 1)) % r.num_plugins();
  Pick client = r.PickFor(Kind::kClient, p);
  std::string bytes = blob.bytes;
  int variant = static_cast<int>(r.in().Pick(6));
  Expect expect = Expect::kOk;
  if (variant == 3 && !bytes.empty()) {
    bytes[r.in().Pick(bytes.size())] ^= static_cast<char>(1 + r.in().Pick(255));
    expect = Expect::kOkOrInvalid;
  } else if (variant == 4) {
    bytes.resize(r.in().Pick(bytes.size() + 1));
    expect = Expect::kOkOrInvalid;
  } else if (variant == 5) {
    bytes.clear();
    expect = Expect::kError;
  }
  if (foreign) expect = Expect::kInvalidArgument;
  BPL_Client_DeserializeExecutable_Args args{};
  args.client = static_cast<BPL_Client*>(client.ptr);
  args.serialized = bytes.empty() ? nullptr : bytes.data();
  args.serialized_size = bytes.size();
  absl::Status result;
  RETURN_IF_ERROR(r.Call("Client_DeserializeExecutable", p,
                         r.api(p)->Client_DeserializeExecutable, args,
                         ExpectFor(r, client, expect), &result));
  if (!result.ok()) return absl::OkStatus();
  AddExecutable(r, p, args.out_executable, client.index,
                variant < 3 ? blob.program : kUnknownProgram);
  return absl::OkStatus();
}

absl::Status Execute(Runner& r) {
  int p = static_cast<int>(r.in().Pick(r.num_plugins()));
  Pick exe = r.PickFor(Kind::kExecutable, p);
  if (exe.index < 0 || exe.bad) {
    // Execute on a bad or NULL executable, with some live argument.
    int arg = r.PickLive(Kind::kBuffer, p);
    std::vector<BPL_Buffer*> argv = {
        arg >= 0 ? static_cast<BPL_Buffer*>(r.obj(arg).ptr) : nullptr};
    BPL_Buffer* const* lists[1] = {argv.data()};
    BPL_Buffer* out[4] = {};
    BPL_Buffer** out_lists[1] = {out};
    BPL_Executable_Execute_Args args{};
    args.executable = static_cast<BPL_Executable*>(exe.ptr);
    args.argument_lists = lists;
    args.num_devices = 1;
    args.num_args = 1;
    args.output_lists = out_lists;
    absl::Status result;
    return r.Call("Executable_Execute", p, r.api(p)->Executable_Execute, args,
                  ExpectFor(r, exe, Expect::kOk), &result);
  }
  Launch l;
  l.exe = exe.index;
  RETURN_IF_ERROR(ChooseArguments(r, &l));
  size_t num_args = l.argv.size(), num_devices = 1;
  bool null_lists = false;
  int variant = static_cast<int>(r.in().Pick(10));
  Expect expect = Mutate(r, variant, &l, &num_args, &num_devices, &null_lists);
  AddWaitAndDeadline(r, &l, &expect);
  for (int index : l.arg_index) {
    if (!r.Healthy(index) && expect == Expect::kOk) expect = Expect::kAny;
  }
  if (!l.complete && expect == Expect::kOk) expect = Expect::kAny;
  if (variant == 4 || variant == 6 || variant == 7) l.certain = false;
  return Launch1(r, l, ExpectFor(r, exe, expect), num_args, num_devices,
                 null_lists, true);
}

// A valid add on a healthy client, downloaded at once: the numeric oracle.
absl::Status ExecuteAdd(Runner& r) {
  int exe = -1;
  for (size_t i = 0; i < r.pool().size(); ++i) {
    const Obj& o = r.obj(static_cast<int>(i));
    if (o.kind == Kind::kExecutable && o.program == kAddProgram &&
        r.Healthy(static_cast<int>(i)) && o.client >= 0 && r.in().OneIn(2)) {
      exe = static_cast<int>(i);
    }
  }
  if (exe < 0) {
    int client = r.PickLive(Kind::kClient);
    if (client < 0) return absl::OkStatus();
    const int p = r.obj(client).plugin;
    std::string code = ProgramText(kAddProgram);
    BPL_Program text{};
    text.struct_size = BPL_Program_STRUCT_SIZE;
    text.format = "stablehlo";
    text.format_size = std::strlen(text.format);
    text.code = code.data();
    text.code_size = code.size();
    BPL_Client_Compile_Args args{};
    args.client = static_cast<BPL_Client*>(r.obj(client).ptr);
    args.program = &text;
    absl::Status result;
    RETURN_IF_ERROR(r.Call("Client_Compile", p, r.api(p)->Client_Compile, args,
                           Expect::kOk, &result, false));
    exe = AddExecutable(r, p, args.out_executable, client, kAddProgram);
  }
  Launch l;
  l.exe = exe;
  RETURN_IF_ERROR(ChooseArguments(r, &l));
  if (l.argv.size() != 2 || !r.obj(l.arg_index[0]).known ||
      !r.obj(l.arg_index[1]).known || l.may_block) {
    return absl::OkStatus();
  }
  size_t before = r.pool().size();
  RETURN_IF_ERROR(Launch1(r, l, Expect::kOk, 2, 1, false, false));
  return Download(r, static_cast<int>(before));
}

absl::Status Cancel(Runner& r) {
  int p = static_cast<int>(r.in().Pick(r.num_plugins()));
  Pick exe = r.PickFor(Kind::kExecutable, p);
  BPL_Executable_Cancel_Args args{};
  args.executable = static_cast<BPL_Executable*>(exe.ptr);
  absl::Status result;
  RETURN_IF_ERROR(r.Call("Executable_Cancel", p, r.api(p)->Executable_Cancel,
                         args, ExpectFor(r, exe, Expect::kOk), &result));
  if (exe.index >= 0 && !exe.bad) r.Unsettle(exe.index);
  return absl::OkStatus();
}

absl::Status DestroyExecutable(Runner& r) {
  int p = static_cast<int>(r.in().Pick(r.num_plugins()));
  Pick exe = r.PickFor(Kind::kExecutable, p);
  BPL_Executable_Destroy_Args args{};
  args.executable = static_cast<BPL_Executable*>(exe.ptr);
  Expect expect = exe.bad ? Expect::kInvalidArgument
                          : (exe.index < 0 ? Expect::kAny : Expect::kOk);
  absl::Status result;
  RETURN_IF_ERROR(r.Call("Executable_Destroy", p, r.api(p)->Executable_Destroy,
                         args, expect, &result));
  if (result.ok() && exe.index >= 0 && !exe.bad) r.obj(exe.index).live = false;
  return absl::OkStatus();
}

absl::Status DeleteExecutable(Runner& r) {
  int p = static_cast<int>(r.in().Pick(r.num_plugins()));
  Pick exe = r.PickFor(Kind::kExecutable, p);
  BPL_Executable_Delete_Args args{};
  args.executable = static_cast<BPL_Executable*>(exe.ptr);
  absl::Status result;
  RETURN_IF_ERROR(r.Call("Executable_Delete", p, r.api(p)->Executable_Delete,
                         args, ExpectFor(r, exe, Expect::kOk), &result));
  if (result.ok() && exe.index >= 0 && !exe.bad) {
    r.obj(exe.index).deleted = true;
  }
  return absl::OkStatus();
}

}  // namespace backplane::fuzz
