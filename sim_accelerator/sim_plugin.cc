// The simulated accelerator as a Backplane plugin (libbackplane_sim.so).
//
// Each chip is a device with its own HBM (hbm.h): buffers are copies in
// that space made by DMA, never aliases of host memory, and a buffer or
// execution that does not fit fails with RESOURCE_EXHAUSTED. Programs are
// compiled to chip programs (chip_program.h), run functionally, and timed
// by the configured timing model (timing.h); every execution can return
// statistics and write a Chrome trace. docs/sim_accelerator.md describes
// the chip, the options and the presets.
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "compiler/abi/abi_types.h"
#include "compiler/abi/donation.h"
#include "compiler/ir/literal.h"
#include "plugins/kit/event.h"
#include "plugins/kit/plugin.h"
#include "sim_accelerator/chip_config.h"
#include "sim_accelerator/chip_program.h"
#include "sim_accelerator/hbm.h"
#include "sim_accelerator/timing.h"
#include "sim_accelerator/trace.h"

namespace backplane::sim {
namespace {

using backplane::Shape;

constexpr char kPluginVersion[] = "0.1.0";
constexpr char kSerializedMagic[] = "sim-executable-v2\n";

class SimDevice;

class SimMemory : public kit::Memory {
 public:
  SimMemory(int64_t id, kit::Device* device) : id_(id), device_(device) {}
  int64_t id() const override { return id_; }
  absl::string_view kind() const override { return "hbm"; }
  std::vector<kit::Device*> devices() const override { return {device_}; }

 private:
  int64_t id_;
  kit::Device* device_;
};

class SimDevice : public kit::Device {
 public:
  SimDevice(int64_t id, const ChipConfig* chip)
      : id_(id),
        chip_(chip),
        hbm_(absl::StrCat("sim:", id), chip->hbm_bytes),
        memory_(id, this) {}
  int64_t id() const override { return id_; }
  absl::string_view kind() const override { return "sim-tpu"; }
  std::string debug_string() const override {
    return absl::StrCat("sim:", id_, " (", chip_->preset, ", ",
                        chip_->array_rows, "x", chip_->array_cols, " ",
                        DataflowName(chip_->dataflow), " array at ",
                        chip_->clock_mhz, " MHz)");
  }
  std::vector<NamedValue> attributes() const override {
    return {{"preset", chip_->preset},
            {"array_rows", chip_->array_rows},
            {"array_cols", chip_->array_cols},
            {"dataflow", std::string(DataflowName(chip_->dataflow))},
            {"timing_model", std::string(TimingModelName(chip_->timing_model))},
            {"clock_mhz", chip_->clock_mhz},
            {"hbm_bytes", chip_->hbm_bytes},
            {"sram_bytes", chip_->sram_bytes},
            {"vector_lanes", chip_->vector_lanes}};
  }
  std::vector<kit::Memory*> memories() const override {
    return {const_cast<SimMemory*>(&memory_)};
  }
  kit::Memory* default_memory() const override {
    return const_cast<SimMemory*>(&memory_);
  }
  kit::MemoryStats memory_stats() const override {
    HbmStats s = hbm_.stats();
    kit::MemoryStats out;
    out.bytes_in_use = s.bytes_in_use;
    out.peak_bytes_in_use = s.peak_bytes_in_use;
    out.num_allocs = s.num_allocs;
    out.largest_alloc_size = s.largest_alloc_size;
    out.bytes_limit = s.bytes_limit;
    return out;
  }
  HbmSpace& hbm() { return hbm_; }

 private:
  int64_t id_;
  const ChipConfig* chip_;
  HbmSpace hbm_;
  SimMemory memory_;
};

// An array in a chip's HBM. Its contents are written once, by a DMA from
// the host, a copy or an execution, before the ready event completes.
class SimBuffer : public kit::Buffer,
                  public std::enable_shared_from_this<SimBuffer> {
 public:
  static absl::StatusOr<std::shared_ptr<SimBuffer>> Create(
      const Shape& shape, SimDevice* device,
      std::shared_ptr<kit::Event> ready) {
    absl::StatusOr<ir::TensorType> type = compiler::FromAbiShape(shape);
    if (!type.ok()) return type.status();
    absl::StatusOr<HbmReservation> reservation = device->hbm().Reserve(
        shape.byte_size(), absl::StrCat("a buffer of ", type->ToString()));
    if (!reservation.ok()) return reservation.status();
    return InReservation(shape, *type, device, std::move(ready),
                         *std::move(reservation));
  }

  // A buffer in memory reserved already (a donated argument's).
  static std::shared_ptr<SimBuffer> InReservation(
      const Shape& shape, const ir::TensorType& type, SimDevice* device,
      std::shared_ptr<kit::Event> ready, HbmReservation reservation) {
    auto buffer = std::shared_ptr<SimBuffer>(new SimBuffer());
    buffer->shape_ = shape;
    buffer->type_ = type;
    buffer->device_ = device;
    buffer->on_device_size_ = reservation.bytes();
    buffer->reservation_ = std::move(reservation);
    buffer->ready_ = std::move(ready);
    return buffer;
  }

  // Hands this buffer's HBM to an output of the execution it is donated to
  // (the kit deletes the buffer when Execute returns). Empty if taken.
  HbmReservation TakeReservation() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::move(reservation_);
  }

  const Shape& shape() const override { return shape_; }
  kit::Device* device() const override { return device_; }
  kit::Memory* memory() const override { return device_->default_memory(); }
  int64_t on_device_size() const override { return on_device_size_; }
  std::shared_ptr<kit::Event> ready_event() const override { return ready_; }

  std::shared_ptr<kit::Event> CopyToHost(void* dst) override {
    auto self = shared_from_this();
    auto done = std::make_shared<kit::Event>();
    ready_->OnReady([self, dst, done](const absl::Status& status) {
      if (status.ok()) {
        std::memcpy(dst, self->contents_->untyped_data(),
                    static_cast<size_t>(self->contents_->byte_size()));
      }
      done->Set(status).IgnoreError();
    });
    return done;
  }

  absl::StatusOr<std::shared_ptr<kit::Buffer>> CopyToMemory(
      kit::Memory* memory) override {
    auto* target = static_cast<SimDevice*>(memory->devices()[0]);
    auto ready = std::make_shared<kit::Event>();
    absl::StatusOr<std::shared_ptr<SimBuffer>> copy =
        Create(shape_, target, ready);
    if (!copy.ok()) return copy.status();
    auto self = shared_from_this();
    std::shared_ptr<SimBuffer> out = *copy;
    ready_->OnReady([self, out, ready](const absl::Status& status) {
      // Contents are immutable once ready, so the copy may share them.
      if (status.ok()) out->contents_ = self->contents_;
      ready->Set(status).IgnoreError();
    });
    return std::shared_ptr<kit::Buffer>(out);
  }

  const ir::TensorType& type() const { return type_; }
  // Valid once ready.
  const std::shared_ptr<const ir::Literal>& contents() const {
    return contents_;
  }
  // Called by the producer, before it completes the ready event.
  void set_contents(std::shared_ptr<const ir::Literal> contents) {
    contents_ = std::move(contents);
  }

 private:
  SimBuffer() = default;
  Shape shape_;
  ir::TensorType type_;
  SimDevice* device_ = nullptr;
  int64_t on_device_size_ = 0;
  std::mutex mu_;
  HbmReservation reservation_;  // Guarded by mu_.
  std::shared_ptr<kit::Event> ready_;
  std::shared_ptr<const ir::Literal> contents_;
};

std::string Fingerprint(const ChipConfig& chip, absl::string_view code,
                        absl::string_view entry) {
  // FNV-1a: stable across processes, unlike std::hash.
  uint64_t h = 1469598103934665603ull;
  const std::string knobs = absl::StrCat(
      kPluginVersion, "|", MatmulPrecisionName(chip.default_matmul_precision));
  for (absl::string_view part : {absl::string_view(knobs), entry, code}) {
    for (char c : part) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ull;
    }
    h ^= 0xff;
  }
  return absl::StrCat("sim-", absl::Hex(h, absl::kZeroPad16));
}

class SimExecutable : public kit::Executable {
 public:
  static absl::StatusOr<std::unique_ptr<SimExecutable>> Create(
      std::string code, std::string entry, std::vector<int64_t> donated,
      SimDevice* device, const ChipConfig* chip,
      std::atomic<int64_t>* trace_sequence) {
    absl::StatusOr<std::unique_ptr<ChipProgram>> program =
        ChipProgram::Compile(code, entry, *chip);
    if (!program.ok()) return program.status();
    absl::StatusOr<std::vector<bool>> donatable =
        compiler::DonatableParameters((*program)->entry_function(), donated);
    if (!donatable.ok()) return donatable.status();
    auto exe = std::unique_ptr<SimExecutable>(new SimExecutable());
    exe->donatable_ = *std::move(donatable);
    exe->donated_option_ = std::move(donated);
    for (const ir::TensorType& t : (*program)->parameter_types()) {
      absl::StatusOr<Shape> shape = compiler::ToAbiShape(ir::Type::Tensor(t));
      if (!shape.ok()) return shape.status();
      exe->parameter_shapes_.push_back(*shape);
    }
    for (const ir::TensorType& t : (*program)->result_types()) {
      absl::StatusOr<Shape> shape = compiler::ToAbiShape(ir::Type::Tensor(t));
      if (!shape.ok()) return shape.status();
      exe->output_shapes_.push_back(*shape);
    }
    exe->program_ = *std::move(program);
    exe->fingerprint_ = Fingerprint(*chip, code, entry);
    exe->code_ = std::move(code);
    exe->entry_ = std::move(entry);
    exe->device_ = device;
    exe->chip_ = chip;
    exe->trace_sequence_ = trace_sequence;
    return exe;
  }

  absl::string_view name() const override { return entry_; }
  std::vector<kit::Device*> devices() const override { return {device_}; }
  const std::vector<Shape>& parameter_shapes() const override {
    return parameter_shapes_;
  }
  const std::vector<Shape>& output_shapes() const override {
    return output_shapes_;
  }
  std::string fingerprint() const override { return fingerprint_; }
  bool supports_statistics() const override { return true; }
  std::vector<bool> donatable_parameters() const override { return donatable_; }
  kit::ExecutableMemoryStats memory_stats() const override {
    kit::ExecutableMemoryStats s;
    s.code_size = static_cast<int64_t>(code_.size());
    s.argument_size = 0;
    for (const Shape& shape : parameter_shapes_) {
      s.argument_size += shape.byte_size();
    }
    s.output_size = program_->output_bytes();
    s.alias_size = 0;
    s.temp_size = TempBytes();
    return s;
  }
  absl::StatusOr<std::string> Serialize() const override {
    return absl::StrCat(kSerializedMagic, entry_, "\n",
                        absl::StrJoin(donated_option_, ","), "\n", code_);
  }

  absl::StatusOr<kit::ExecuteResult> Execute(
      kit::ExecuteRequest request) override {
    // Everything the execution needs in HBM is reserved up front, so a
    // program that does not fit fails here and disturbs nothing.
    auto done = std::make_shared<kit::Event>();
    std::vector<std::shared_ptr<SimBuffer>> outputs;
    // A donated argument of the output's size lends it its HBM: no new
    // allocation (the kit deletes donated buffers when Execute returns).
    std::vector<bool> lent(request.donated.size(), false);
    int64_t reused_bytes = 0;
    for (size_t o = 0; o < output_shapes_.size(); ++o) {
      const Shape& shape = output_shapes_[o];
      std::shared_ptr<SimBuffer> buffer;
      for (size_t p = 0; p < lent.size() && buffer == nullptr; ++p) {
        if (!request.donated[p] || lent[p]) continue;
        auto* arg = static_cast<SimBuffer*>(request.arguments[0][p].get());
        if (arg->shape().byte_size() != shape.byte_size()) continue;
        HbmReservation memory = arg->TakeReservation();
        if (memory.bytes() == 0 && shape.byte_size() > 0) continue;
        lent[p] = true;
        reused_bytes += memory.bytes();
        buffer = SimBuffer::InReservation(shape, program_->result_types()[o],
                                          device_, done, std::move(memory));
      }
      if (buffer == nullptr) {
        absl::StatusOr<std::shared_ptr<SimBuffer>> fresh =
            SimBuffer::Create(shape, device_, done);
        if (!fresh.ok()) {
          return absl::Status(fresh.status().code(),
                              absl::StrCat("executing @", entry_, ": ",
                                           fresh.status().message()));
        }
        buffer = *std::move(fresh);
      }
      outputs.push_back(std::move(buffer));
    }
    auto temp_reservation = std::make_shared<HbmReservation>();
    if (TempBytes() > 0) {
      absl::StatusOr<HbmReservation> temps = device_->hbm().Reserve(
          TempBytes(), absl::StrCat("the temporaries of @", entry_));
      if (!temps.ok()) return temps.status();
      *temp_reservation = *std::move(temps);
    }

    std::vector<std::shared_ptr<kit::Event>> inputs = {request.wait};
    for (const auto& arg : request.arguments[0]) {
      inputs.push_back(arg->ready_event());
    }
    auto arguments = std::move(request.arguments[0]);
    auto statistics =
        request.statistics.empty() ? nullptr : request.statistics[0];
    const int64_t launch = request.launch_id;
    kit::AllOf(inputs)->OnReady([this, arguments, outputs, done, statistics,
                                 temp_reservation, reused_bytes,
                                 launch](const absl::Status& ready) {
      absl::Status status = ready;
      if (status.ok()) {
        status = Run(arguments, outputs, reused_bytes, statistics);
      }
      (void)launch;
      done->Set(status).IgnoreError();
    });
    kit::ExecuteResult result;
    result.outputs.emplace_back(outputs.begin(), outputs.end());
    result.device_done.push_back(done);
    return result;
  }

 private:
  SimExecutable() = default;

  int64_t TempBytes() const {
    return std::max<int64_t>(
        0, program_->peak_live_bytes() - program_->output_bytes());
  }

  absl::Status Run(const std::vector<std::shared_ptr<kit::Buffer>>& arguments,
                   const std::vector<std::shared_ptr<SimBuffer>>& outputs,
                   int64_t reused_bytes,
                   const std::shared_ptr<kit::ExecutionStatistics>& stats) {
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::shared_ptr<const ir::Literal>> inputs;
    for (const auto& arg : arguments) {
      inputs.push_back(static_cast<SimBuffer*>(arg.get())->contents());
    }
    absl::StatusOr<ProgramRun> run = program_->Run(inputs);
    if (!run.ok()) return run.status();
    if (run->results.size() != outputs.size()) {
      return absl::InternalError("the program returned the wrong arity");
    }
    for (size_t i = 0; i < outputs.size(); ++i) {
      outputs[i]->set_contents(
          std::make_shared<const ir::Literal>(std::move(run->results[i])));
    }
    const Schedule schedule = ScheduleExecution(*chip_, run->work);
    if (!chip_->trace_dir.empty()) {
      absl::StatusOr<std::string> path = WriteTraceFile(
          chip_->trace_dir, entry_, trace_sequence_->fetch_add(1),
          ChromeTraceJson(*chip_, schedule, entry_));
      if (!path.ok()) return path.status();
    }
    if (stats != nullptr) {
      const int64_t wall_ns =
          std::chrono::duration_cast<std::chrono::nanoseconds>(
              std::chrono::steady_clock::now() - start)
              .count();
      const ExecutionTotals& t = schedule.totals;
      stats->Complete({
          {"wall_ns", wall_ns},
          {"cycles", t.cycles},
          {"simulated_ns", t.simulated_ns},
          {"matrix_unit_busy_cycles", t.matrix_unit_busy_cycles},
          {"matrix_unit_utilization", t.matrix_unit_utilization},
          {"vector_unit_cycles", t.vector_unit_cycles},
          {"stall_cycles", t.stall_cycles},
          {"hbm_bytes", t.hbm_bytes},
          {"sram_bytes", t.sram_bytes},
          {"dma_bytes", t.dma_bytes},
          {"donated_bytes_reused", reused_bytes},
          {"macs", t.macs},
          {"timing_model", std::string(TimingModelName(chip_->timing_model))},
          {"interpreter_fallback", program_->interpreter_fallback()},
          {"ops_json", OpsJson(*chip_, schedule)},
      });
    }
    return absl::OkStatus();
  }

  std::unique_ptr<ChipProgram> program_;
  std::string code_;
  std::string entry_;
  std::string fingerprint_;
  std::vector<int64_t> donated_option_;
  std::vector<bool> donatable_;
  SimDevice* device_ = nullptr;
  const ChipConfig* chip_ = nullptr;
  std::atomic<int64_t>* trace_sequence_ = nullptr;
  std::vector<Shape> parameter_shapes_;
  std::vector<Shape> output_shapes_;
};

class SimClient : public kit::Client {
 public:
  explicit SimClient(ChipConfig chip) : chip_(std::move(chip)) {
    for (int64_t i = 0; i < chip_.num_chips; ++i) {
      devices_.push_back(std::make_unique<SimDevice>(i, &chip_));
    }
  }
  absl::string_view platform_name() const override { return "sim"; }
  absl::string_view platform_version() const override { return kPluginVersion; }
  std::vector<kit::Device*> devices() const override {
    std::vector<kit::Device*> out;
    for (const auto& d : devices_) out.push_back(d.get());
    return out;
  }
  std::vector<kit::Memory*> memories() const override {
    std::vector<kit::Memory*> out;
    for (const auto& d : devices_) out.push_back(d->default_memory());
    return out;
  }

  absl::StatusOr<std::unique_ptr<kit::Executable>> Compile(
      absl::string_view format, absl::string_view code,
      const kit::Options& options,
      absl::Span<kit::Device* const> devices) override {
    if (devices.size() != 1 || options.GetInt64("num_replicas", 1) != 1 ||
        options.GetInt64("num_partitions", 1) != 1) {
      return absl::UnimplementedError(
          "the sim plugin compiles single-chip programs only (one device, "
          "num_replicas = num_partitions = 1)");
    }
    absl::StatusOr<std::unique_ptr<SimExecutable>> exe = SimExecutable::Create(
        std::string(code), options.GetString("entry_function", "main"),
        options.GetInt64List("donated_parameters"),
        static_cast<SimDevice*>(devices[0]), &chip_, &trace_sequence_);
    if (!exe.ok()) return exe.status();
    return std::unique_ptr<kit::Executable>(*std::move(exe));
  }

  absl::StatusOr<std::unique_ptr<kit::Executable>> DeserializeExecutable(
      absl::string_view bytes) override {
    absl::string_view magic(kSerializedMagic);
    if (bytes.substr(0, magic.size()) != magic) {
      return absl::InvalidArgumentError(
          "not a serialized sim executable (wrong magic)");
    }
    bytes.remove_prefix(magic.size());
    // Layout: entry "\n" donated parameter indices "\n" program text.
    std::vector<absl::string_view> header =
        absl::StrSplit(bytes, absl::MaxSplits('\n', 2));
    if (header.size() != 3) {
      return absl::InvalidArgumentError("truncated serialized executable");
    }
    std::vector<int64_t> donated;
    for (absl::string_view index :
         absl::StrSplit(header[1], ',', absl::SkipEmpty())) {
      int64_t value;
      if (!absl::SimpleAtoi(index, &value)) {
        return absl::InvalidArgumentError(
            "corrupt serialized executable (donated parameters)");
      }
      donated.push_back(value);
    }
    absl::StatusOr<std::unique_ptr<SimExecutable>> exe = SimExecutable::Create(
        std::string(header[2]), std::string(header[0]), std::move(donated),
        devices_[0].get(), &chip_, &trace_sequence_);
    if (!exe.ok()) return exe.status();
    return std::unique_ptr<kit::Executable>(*std::move(exe));
  }

  absl::StatusOr<kit::BufferFromHostResult> BufferFromHost(
      const kit::HostBuffer& host, kit::Memory* memory,
      std::shared_ptr<kit::Event> wait) override {
    // Always a DMA copy into HBM, whatever the semantics: the chip cannot
    // address host memory.
    auto* device = static_cast<SimDevice*>(memory->devices()[0]);
    auto ready = std::make_shared<kit::Event>();
    absl::StatusOr<std::shared_ptr<SimBuffer>> buffer =
        SimBuffer::Create(host.shape, device, ready);
    if (!buffer.ok()) return buffer.status();
    std::shared_ptr<SimBuffer> target = *buffer;
    const void* src = host.data;
    auto done_with_host = std::make_shared<kit::Event>();
    wait->OnReady([target, src, ready, done_with_host](const absl::Status& s) {
      if (s.ok()) {
        auto contents = std::make_shared<ir::Literal>(target->type());
        std::memcpy(contents->untyped_data(), src,
                    static_cast<size_t>(contents->byte_size()));
        target->set_contents(std::move(contents));
      }
      done_with_host->Set(absl::OkStatus()).IgnoreError();
      ready->Set(s).IgnoreError();
    });
    kit::BufferFromHostResult result;
    result.buffer = std::move(target);
    result.done_with_host_buffer = done_with_host;
    return result;
  }

 private:
  ChipConfig chip_;
  std::vector<std::unique_ptr<SimDevice>> devices_;
  std::atomic<int64_t> trace_sequence_{0};
};

class SimPlugin : public kit::Plugin {
 public:
  kit::PluginInfo info() const override {
    kit::PluginInfo info;
    info.name = "sim";
    info.vendor = "Backplane";
    info.plugin_version = kPluginVersion;
    info.capabilities = {"execute", "serialize", "framework_events",
                         "statistics"};
    info.client_options = ClientOptionSpecs();
    info.extra_attributes = {{"presets", PresetNames()}};
    return info;
  }
  absl::StatusOr<std::unique_ptr<kit::Client>> CreateClient(
      const kit::Options& options) override {
    absl::StatusOr<ChipConfig> chip = ChipConfigFromOptions(options);
    if (!chip.ok()) return chip.status();
    if (!chip->trace_dir.empty()) {
      struct stat st;
      if (stat(chip->trace_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        return absl::InvalidArgumentError(
            absl::StrCat("client option 'trace_dir': '", chip->trace_dir,
                         "' is not an existing folder"));
      }
    }
    return std::unique_ptr<kit::Client>(new SimClient(*std::move(chip)));
  }
};

}  // namespace
}  // namespace backplane::sim

BPL_KIT_DEFINE_PLUGIN(backplane::sim::SimPlugin)
