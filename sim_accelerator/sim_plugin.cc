// The simulated accelerator as a Backplane plugin (libbackplane_sim.so).
//
// Each chip is a device with its own HBM (hbm.h): buffers are copies in
// that space made by DMA, never aliases of host memory, and a buffer or
// execution that does not fit fails with RESOURCE_EXHAUSTED. Programs are
// compiled to chip programs (chip_program.h), run functionally, and timed
// by the configured timing model (timing.h); every execution can return
// statistics and write a Chrome trace. docs/sim_accelerator.md describes
// the chip, the options and the presets.
//
// Simulated time: every chip has a clock (cycles since the client was
// made) shared by its host link and its inter-chip link. A host->HBM DMA
// or chip-to-chip copy occupies its link from when it is issued (or the
// link frees up) for ceil(bytes / bandwidth) + latency cycles; an
// execution starts on its chips when they are idle and its inputs have
// arrived, so one whose inputs are still in flight shows the wait. An
// executable compiled for N replicas runs one program instance per chip
// (one thread each), all starting together.
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/cancellation.h"
#include "base/out_of_memory.h"
#include "base/status_macros.h"
#include "compiler/abi/abi_types.h"
#include "compiler/abi/donation.h"
#include "compiler/ir/literal.h"
#include "plugins/kit/event.h"
#include "plugins/kit/fingerprint.h"
#include "plugins/kit/inputs_ready.h"
#include "plugins/kit/plugin.h"
#include "plugins/kit/serialized_executable.h"
#include "plugins/kit/single_memory_device.h"
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

// Serialises updates of the chips' simulated clocks.
struct Timeline {
  std::mutex mu;
};

// A chip; its one memory space ("hbm") is its HBM.
class SimDevice : public kit::SingleMemoryDevice {
 public:
  SimDevice(int64_t id, const ChipConfig* chip, Timeline* timeline)
      : SingleMemoryDevice(id, "hbm"),
        chip_(chip),
        timeline_(timeline),
        hbm_(absl::StrCat("sim:", id), chip->hbm_bytes) {}
  absl::string_view kind() const override { return "sim-tpu"; }
  std::string debug_string() const override {
    return absl::StrCat("sim:", id(), " (", chip_->preset, ", ",
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

  // The chip's simulated clock and links; guarded by the client's
  // Timeline mutex.
  struct Clock {
    int64_t now = 0;             // When the chip is next idle.
    int64_t host_link_free = 0;  // When its host link is next idle.
    int64_t ici_link_free = 0;   // When its outgoing chip link is idle.
  };
  Clock& clock() { return clock_; }
  Timeline* timeline() const { return timeline_; }
  const ChipConfig& chip() const { return *chip_; }

 private:
  const ChipConfig* chip_;
  Timeline* timeline_;
  HbmSpace hbm_;
  Clock clock_;
};

// An array in a chip's HBM. Its contents are written once, by a DMA from
// the host, a copy or an execution, before the ready event completes.
class SimBuffer : public kit::Buffer,
                  public std::enable_shared_from_this<SimBuffer> {
 public:
  static absl::StatusOr<std::shared_ptr<SimBuffer>> Create(
      const Shape& shape, SimDevice* device,
      std::shared_ptr<kit::Event> ready) {
    ASSIGN_OR_RETURN(ir::TensorType type, abi::FromAbiShape(shape));
    ASSIGN_OR_RETURN(
        HbmReservation reservation,
        device->hbm().Reserve(shape.byte_size(),
                              absl::StrCat("a buffer of ", type.ToString())));
    return InReservation(shape, type, device, std::move(ready),
                         std::move(reservation));
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
  void ReturnReservation(HbmReservation reservation) {
    std::lock_guard<std::mutex> lock(mu_);
    reservation_ = std::move(reservation);
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
    ASSIGN_OR_RETURN(std::shared_ptr<SimBuffer> out,
                     Create(shape_, target, ready));
    auto self = shared_from_this();
    ready_->OnReady([self, out, ready](const absl::Status& status) {
      // Contents are immutable once ready, so the copy may share them.
      if (status.ok()) {
        out->contents_ = self->contents_;
        if (out->device_ == self->device_) {
          out->arrived_cycle_ = self->arrived_cycle_;
        } else {
          // Chip to chip: over the source chip's inter-chip link, once the
          // source is computed.
          std::lock_guard<std::mutex> lock(self->device_->timeline()->mu);
          SimDevice::Clock& clock = self->device_->clock();
          InputTransfer t;
          t.link = InputTransfer::Link::kIci;
          t.bytes = self->shape_.byte_size();
          t.start_cycle = std::max(self->arrived_cycle_, clock.ici_link_free);
          t.end_cycle =
              t.start_cycle + IciCopyCycles(self->device_->chip(), t.bytes);
          clock.ici_link_free = t.end_cycle;
          out->transfer_ = t;
          out->arrived_cycle_ = t.end_cycle;
        }
      }
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
  // When the contents are (or will be) in this chip's HBM, in simulated
  // cycles, and the transfer that put them there, if any. Set by the
  // producer before it completes the ready event, read after.
  int64_t arrived_cycle() const { return arrived_cycle_; }
  const std::optional<InputTransfer>& transfer() const { return transfer_; }
  void set_arrival(int64_t cycle, std::optional<InputTransfer> transfer) {
    arrived_cycle_ = cycle;
    transfer_ = transfer;
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
  int64_t arrived_cycle_ = 0;
  std::optional<InputTransfer> transfer_;
};

std::string Fingerprint(const ChipConfig& chip, absl::string_view code,
                        absl::string_view entry) {
  const std::string knobs = absl::StrCat(
      kPluginVersion, "|", MatmulPrecisionName(chip.default_matmul_precision));
  return kit::Fingerprint("sim-", {knobs, entry, code});
}

class SimExecutable : public kit::Executable {
 public:
  // `devices` holds one chip per replica.
  static absl::StatusOr<std::unique_ptr<SimExecutable>> Create(
      std::string code, std::string entry, std::vector<int64_t> donated,
      std::vector<SimDevice*> devices, const ChipConfig* chip,
      std::atomic<int64_t>* trace_sequence) {
    ASSIGN_OR_RETURN(std::unique_ptr<ChipProgram> program,
                     ChipProgram::Compile(code, entry, *chip));
    if (devices.size() > 1 && program->interpreter_fallback()) {
      return absl::UnimplementedError(
          absl::StrCat("@", entry, " runs on the reference interpreter (",
                       program->fallback_reason(),
                       "), which the sim plugin supports on one chip only"));
    }
    auto exe = std::unique_ptr<SimExecutable>(new SimExecutable());
    ASSIGN_OR_RETURN(exe->donatable_, abi::DonatableParameters(
                                          program->entry_function(), donated));
    exe->donated_option_ = std::move(donated);
    for (const ir::TensorType& t : program->parameter_types()) {
      ASSIGN_OR_RETURN(Shape shape, abi::ToAbiShape(ir::Type::Tensor(t)));
      exe->parameter_shapes_.push_back(shape);
    }
    for (const ir::TensorType& t : program->result_types()) {
      ASSIGN_OR_RETURN(Shape shape, abi::ToAbiShape(ir::Type::Tensor(t)));
      exe->output_shapes_.push_back(shape);
    }
    exe->program_ = std::move(program);
    exe->fingerprint_ = Fingerprint(*chip, code, entry);
    exe->code_ = std::move(code);
    exe->entry_ = std::move(entry);
    exe->devices_ = std::move(devices);
    exe->chip_ = chip;
    exe->trace_sequence_ = trace_sequence;
    return exe;
  }

  absl::string_view name() const override { return entry_; }
  std::vector<kit::Device*> devices() const override {
    return std::vector<kit::Device*>(devices_.begin(), devices_.end());
  }
  const std::vector<Shape>& parameter_shapes() const override {
    return parameter_shapes_;
  }
  const std::vector<Shape>& output_shapes() const override {
    return output_shapes_;
  }
  std::string fingerprint() const override { return fingerprint_; }
  bool supports_statistics() const override { return true; }
  // Programs poll the cancellation at every op and loop iteration.
  bool supports_cancellation() const override { return true; }
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
                        absl::StrJoin(donated_option_, ","), "\n",
                        devices_.size(), "\n", code_);
  }

  absl::StatusOr<kit::ExecuteResult> Execute(
      kit::ExecuteRequest request) override {
    // Everything the execution needs in HBM is reserved up front, on every
    // chip, so a program that does not fit fails here and disturbs nothing.
    const size_t num_chips = devices_.size();
    auto run = std::make_shared<Launch>();
    run->arguments = std::move(request.arguments);
    run->statistics = std::move(request.statistics);
    run->cancellation = std::move(request.cancellation);
    run->reused_bytes.assign(num_chips, 0);
    run->outputs.resize(num_chips);
    for (size_t d = 0; d < num_chips; ++d) {
      run->done.push_back(std::make_shared<kit::Event>());
      // A donated argument of the output's size lends it its HBM: no new
      // allocation (the kit deletes donated buffers when Execute returns).
      std::vector<bool> used(request.donated.size(), false);
      for (size_t o = 0; o < output_shapes_.size(); ++o) {
        const Shape& shape = output_shapes_[o];
        std::shared_ptr<SimBuffer> buffer;
        for (size_t p = 0; p < used.size() && buffer == nullptr; ++p) {
          if (!request.donated[p] || used[p]) continue;
          auto* arg = static_cast<SimBuffer*>(run->arguments[d][p].get());
          if (arg->shape().byte_size() != shape.byte_size()) continue;
          HbmReservation memory = arg->TakeReservation();
          if (memory.bytes() == 0 && shape.byte_size() > 0) continue;
          used[p] = true;
          run->reused_bytes[d] += memory.bytes();
          buffer = SimBuffer::InReservation(shape, program_->result_types()[o],
                                            devices_[d], run->done[d],
                                            std::move(memory));
          run->lenders.emplace_back(arg, buffer.get());
        }
        if (buffer == nullptr) {
          absl::StatusOr<std::shared_ptr<SimBuffer>> fresh =
              SimBuffer::Create(shape, devices_[d], run->done[d]);
          if (!fresh.ok()) {
            run->ReturnLoans();
            return absl::Status(fresh.status().code(),
                                absl::StrCat("executing @", entry_, ": ",
                                             fresh.status().message()));
          }
          buffer = *std::move(fresh);
        }
        run->outputs[d].push_back(std::move(buffer));
      }
      if (TempBytes() > 0) {
        absl::StatusOr<HbmReservation> temps = devices_[d]->hbm().Reserve(
            TempBytes(), absl::StrCat("the temporaries of @", entry_));
        if (!temps.ok()) {
          run->ReturnLoans();
          return temps.status();
        }
        run->temps.push_back(*std::move(temps));
      }
    }

    std::vector<std::shared_ptr<kit::Buffer>> inputs;
    for (const auto& per_chip : run->arguments) {
      inputs.insert(inputs.end(), per_chip.begin(), per_chip.end());
    }
    auto launch = [this, run](const absl::Status& ready) {
      absl::Status status = ready;
      if (status.ok()) {
        // Arguments, results and the timing model allocate on the host too.
        status = base::CatchOutOfMemory([&] { return Run(*run); },
                                        [&] { return "@" + entry_; });
      }
      // Temporaries are free once the run is over.
      run->temps.clear();
      for (const auto& done : run->done) done->Set(status).IgnoreError();
    };
    kit::WhenInputsReady(request.wait, inputs, std::move(launch));
    kit::ExecuteResult result;
    for (size_t d = 0; d < num_chips; ++d) {
      result.outputs.emplace_back(run->outputs[d].begin(),
                                  run->outputs[d].end());
    }
    result.device_done = run->done;
    return result;
  }

 private:
  // One execution in flight.
  struct Launch {
    std::vector<std::vector<std::shared_ptr<kit::Buffer>>> arguments;
    std::vector<std::vector<std::shared_ptr<SimBuffer>>> outputs;
    std::vector<std::shared_ptr<kit::Event>> done;  // One per chip.
    std::vector<std::shared_ptr<kit::ExecutionStatistics>> statistics;
    // Deadline and cancel flag, polled by every chip's program.
    std::shared_ptr<base::Cancellation> cancellation;
    std::vector<HbmReservation> temps;
    std::vector<int64_t> reused_bytes;  // Per chip.
    // Donors whose HBM an output took, given back if the launch fails.
    std::vector<std::pair<SimBuffer*, SimBuffer*>> lenders;
    void ReturnLoans() {
      for (auto& [donor, borrower] : lenders) {
        donor->ReturnReservation(borrower->TakeReservation());
      }
      lenders.clear();
    }
  };

  SimExecutable() = default;

  int64_t TempBytes() const {
    return std::max<int64_t>(
        0, program_->peak_live_bytes() - program_->output_bytes());
  }

  // Runs every chip's program instance (chip 0 on this thread), then times
  // them on the chips' clocks.
  absl::Status Run(Launch& launch) {
    const auto start = std::chrono::steady_clock::now();
    const size_t num_chips = devices_.size();
    std::vector<absl::StatusOr<ProgramRun>> runs(num_chips,
                                                 absl::UnknownError("not run"));
    auto run_chip = [&](size_t d, const interpreter::CollectiveContext* ctx) {
      std::vector<std::shared_ptr<const ir::Literal>> inputs;
      for (const auto& arg : launch.arguments[d]) {
        inputs.push_back(static_cast<SimBuffer*>(arg.get())->contents());
      }
      runs[d] = program_->Run(inputs, ctx, launch.cancellation.get());
    };
    if (num_chips == 1) {
      run_chip(0, nullptr);
    } else {
      interpreter::ParallelRun parallel(static_cast<int64_t>(num_chips), 1, {});
      std::vector<interpreter::CollectiveContext> contexts;
      for (size_t d = 0; d < num_chips; ++d) {
        contexts.push_back({&parallel, static_cast<int64_t>(d), 0});
      }
      auto run_and_abort_on_error = [&](size_t d) {
        run_chip(d, &contexts[d]);
        // The others stop waiting for a chip that failed.
        if (!runs[d].ok()) parallel.Abort();
      };
      std::vector<std::thread> threads;
      for (size_t d = 1; d < num_chips; ++d) {
        threads.emplace_back(run_and_abort_on_error, d);
      }
      run_and_abort_on_error(0);
      for (std::thread& t : threads) t.join();
    }
    for (size_t d = 0; d < num_chips; ++d) {
      if (!runs[d].ok()) {
        return absl::Status(
            runs[d].status().code(),
            absl::StrCat(num_chips > 1 ? absl::StrCat("chip ", d, ": ") : "",
                         runs[d].status().message()));
      }
      if (runs[d]->results.size() != launch.outputs[d].size()) {
        return absl::InternalError("the program returned the wrong arity");
      }
    }

    // Simulated time: all chips start together, once each is idle and all
    // their inputs have arrived.
    std::vector<Schedule> schedules;
    schedules.reserve(num_chips);
    {
      std::lock_guard<std::mutex> lock(devices_[0]->timeline()->mu);
      std::vector<int64_t> launched(num_chips);
      int64_t begin = 0;
      for (size_t d = 0; d < num_chips; ++d) {
        launched[d] = devices_[d]->clock().now;
        begin = std::max(begin, launched[d]);
        for (const auto& arg : launch.arguments[d]) {
          begin = std::max(begin,
                           static_cast<SimBuffer*>(arg.get())->arrived_cycle());
        }
      }
      for (size_t d = 0; d < num_chips; ++d) {
        InputArrival arrival;
        arrival.wait_cycles = begin - launched[d];
        for (const auto& arg : launch.arguments[d]) {
          const auto* buffer = static_cast<SimBuffer*>(arg.get());
          const std::optional<InputTransfer>& t = buffer->transfer();
          if (t.has_value() && t->end_cycle > launched[d]) {
            InputTransfer relative = *t;
            relative.start_cycle -= launched[d];
            relative.end_cycle -= launched[d];
            arrival.transfers.push_back(relative);
          }
        }
        schedules.push_back(
            ScheduleExecution(*chip_, runs[d]->work, std::move(arrival)));
        const int64_t end = launched[d] + schedules[d].totals.cycles;
        devices_[d]->clock().now = end;
        for (size_t o = 0; o < launch.outputs[d].size(); ++o) {
          launch.outputs[d][o]->set_arrival(end, std::nullopt);
        }
      }
    }
    for (size_t d = 0; d < num_chips; ++d) {
      for (size_t o = 0; o < launch.outputs[d].size(); ++o) {
        launch.outputs[d][o]->set_contents(std::make_shared<const ir::Literal>(
            std::move(runs[d]->results[o])));
      }
    }
    if (!chip_->trace_dir.empty()) {
      std::vector<const Schedule*> chips;
      for (const Schedule& s : schedules) chips.push_back(&s);
      ASSIGN_OR_RETURN(std::string path,
                       WriteTraceFile(chip_->trace_dir, entry_,
                                      trace_sequence_->fetch_add(1),
                                      ChromeTraceJson(*chip_, chips, entry_)));
    }
    const int64_t wall_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(
            std::chrono::steady_clock::now() - start)
            .count();
    for (size_t d = 0; d < launch.statistics.size() && d < num_chips; ++d) {
      const ExecutionTotals& t = schedules[d].totals;
      launch.statistics[d]->Complete({
          {"wall_ns", wall_ns},
          {"chip", devices_[d]->id()},
          {"cycles", t.cycles},
          {"simulated_ns", t.simulated_ns},
          {"matrix_unit_busy_cycles", t.matrix_unit_busy_cycles},
          {"matrix_unit_utilization", t.matrix_unit_utilization},
          {"vector_unit_cycles", t.vector_unit_cycles},
          {"stall_cycles", t.stall_cycles},
          {"sram_bank_conflict_cycles", t.bank_conflict_cycles},
          {"hbm_bytes", t.hbm_bytes},
          {"sram_bytes", t.sram_bytes},
          {"dma_bytes", t.dma_bytes},
          {"host_dma_bytes", t.host_dma_bytes},
          {"input_wait_cycles", t.input_wait_cycles},
          {"ici_bytes", t.ici_bytes + t.input_ici_bytes},
          {"link_cycles", t.link_cycles},
          {"macs", t.macs},
          {"donated_bytes_reused", launch.reused_bytes[d]},
          {"timing_model", std::string(TimingModelName(chip_->timing_model))},
          {"interpreter_fallback", program_->interpreter_fallback()},
          {"ops_json", OpsJson(*chip_, schedules[d])},
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
  std::vector<SimDevice*> devices_;
  const ChipConfig* chip_ = nullptr;
  std::atomic<int64_t>* trace_sequence_ = nullptr;
  std::vector<Shape> parameter_shapes_;
  std::vector<Shape> output_shapes_;
};

class SimClient : public kit::Client {
 public:
  explicit SimClient(ChipConfig chip) : chip_(std::move(chip)) {
    for (int64_t i = 0; i < chip_.num_chips; ++i) {
      devices_.push_back(std::make_unique<SimDevice>(i, &chip_, &timeline_));
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
    if (options.GetInt64("num_partitions", 1) != 1) {
      return absl::UnimplementedError(
          "the sim plugin runs replicated programs only (num_partitions = 1)");
    }
    const int64_t replicas =
        options.GetInt64("num_replicas", static_cast<int64_t>(devices.size()));
    std::vector<SimDevice*> chips;
    if (static_cast<int64_t>(devices.size()) == replicas) {
      for (kit::Device* d : devices)
        chips.push_back(static_cast<SimDevice*>(d));
    } else if (devices.size() == 1 && replicas > 1) {
      // The default assignment: replica i on chip i.
      ASSIGN_OR_RETURN(std::vector<SimDevice*> first, FirstChips(replicas));
      chips = std::move(first);
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("num_replicas is ", replicas, " but ", devices.size(),
                       " devices were given; give one per replica"));
    }
    if (replicas < 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("num_replicas must be at least 1, got ", replicas));
    }
    ASSIGN_OR_RETURN(
        std::unique_ptr<SimExecutable> exe,
        SimExecutable::Create(std::string(code),
                              options.GetString("entry_function", "main"),
                              options.GetInt64List("donated_parameters"),
                              std::move(chips), &chip_, &trace_sequence_));
    return std::unique_ptr<kit::Executable>(std::move(exe));
  }

  absl::StatusOr<std::unique_ptr<kit::Executable>> DeserializeExecutable(
      absl::string_view bytes) override {
    ASSIGN_OR_RETURN(bytes,
                     kit::StripSerializedMagic(bytes, kSerializedMagic, "sim"));
    // Layout: entry "\n" donated parameter indices "\n" replicas "\n"
    // program text.
    std::vector<absl::string_view> header =
        absl::StrSplit(bytes, absl::MaxSplits('\n', 3));
    if (header.size() != 4) {
      return absl::InvalidArgumentError("truncated serialized executable");
    }
    int64_t replicas = 0;
    if (!absl::SimpleAtoi(header[2], &replicas)) {
      return absl::InvalidArgumentError(
          "corrupt serialized executable (replica count)");
    }
    ASSIGN_OR_RETURN(std::vector<SimDevice*> chips, FirstChips(replicas));
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
    ASSIGN_OR_RETURN(
        std::unique_ptr<SimExecutable> exe,
        SimExecutable::Create(std::string(header[3]), std::string(header[0]),
                              std::move(donated), std::move(chips), &chip_,
                              &trace_sequence_));
    return std::unique_ptr<kit::Executable>(std::move(exe));
  }

  absl::StatusOr<kit::BufferFromHostResult> BufferFromHost(
      const kit::HostBuffer& host, kit::Memory* memory,
      std::shared_ptr<kit::Event> wait) override {
    // Always a DMA copy into HBM, whatever the semantics: the chip cannot
    // address host memory.
    auto* device = static_cast<SimDevice*>(memory->devices()[0]);
    auto ready = std::make_shared<kit::Event>();
    ASSIGN_OR_RETURN(std::shared_ptr<SimBuffer> target,
                     SimBuffer::Create(host.shape, device, ready));
    const void* src = host.data;
    auto done_with_host = std::make_shared<kit::Event>();
    // Runs while the kit keeps this client alive for the transfer (until
    // `ready` and `done_with_host` complete); `target` is released before
    // they do, so the buffer never outlives its device's memory.
    wait->OnReady([this, device, target, src, ready,
                   done_with_host](const absl::Status& s) mutable {
      if (s.ok()) {
        auto contents = std::make_shared<ir::Literal>(target->type());
        std::memcpy(contents->untyped_data(), src,
                    static_cast<size_t>(contents->byte_size()));
        target->set_contents(std::move(contents));
        // The DMA occupies the chip's host link once the data is valid.
        std::lock_guard<std::mutex> lock(timeline_.mu);
        SimDevice::Clock& clock = device->clock();
        InputTransfer t;
        t.link = InputTransfer::Link::kHost;
        t.bytes = target->shape().byte_size();
        t.start_cycle = std::max(clock.now, clock.host_link_free);
        t.end_cycle = t.start_cycle + HostLinkCycles(chip_, t.bytes);
        clock.host_link_free = t.end_cycle;
        target->set_arrival(t.end_cycle, t);
      }
      target.reset();
      done_with_host->Set(absl::OkStatus()).IgnoreError();
      ready->Set(s).IgnoreError();
    });
    kit::BufferFromHostResult result;
    result.buffer = std::move(target);
    result.done_with_host_buffer = done_with_host;
    return result;
  }

 private:
  absl::StatusOr<std::vector<SimDevice*>> FirstChips(int64_t count) const {
    if (count < 1 || count > static_cast<int64_t>(devices_.size())) {
      return absl::InvalidArgumentError(absl::StrCat(
          count, " replicas need as many chips but the client has ",
          devices_.size(), " (client option num_chips)"));
    }
    std::vector<SimDevice*> chips;
    for (int64_t i = 0; i < count; ++i) chips.push_back(devices_[i].get());
    return chips;
  }

  ChipConfig chip_;
  Timeline timeline_;
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
                         "statistics", "multi_device"};
    info.client_options = ClientOptionSpecs();
    info.extra_attributes = {{"presets", PresetNames()}};
    return info;
  }
  absl::StatusOr<std::unique_ptr<kit::Client>> CreateClient(
      const kit::Options& options) override {
    ASSIGN_OR_RETURN(ChipConfig chip, ChipConfigFromOptions(options));
    if (!chip.trace_dir.empty()) {
      struct stat st;
      if (stat(chip.trace_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        return absl::InvalidArgumentError(
            absl::StrCat("client option 'trace_dir': '", chip.trace_dir,
                         "' is not an existing folder"));
      }
    }
    return std::unique_ptr<kit::Client>(new SimClient(std::move(chip)));
  }
};

}  // namespace
}  // namespace backplane::sim

BPL_KIT_DEFINE_PLUGIN(backplane::sim::SimPlugin)
