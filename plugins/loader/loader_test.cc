#include "plugins/loader/loader.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/util/child_process.h"

namespace backplane::loader {
namespace {

using ::testing::HasSubstr;

std::string Runfile(const std::string& path) {
  return absl::StrCat(getenv("TEST_SRCDIR"), "/backplane/", path);
}

std::string HelloLibrary() {
  return Runfile("examples/hello_plugin/libbackplane_hello.so");
}
std::string FixtureLibrary(const std::string& name) {
  return Runfile(absl::StrCat("tests/fixtures/lib", name, ".so"));
}

class LoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/bpl_loader_test_XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  void TearDown() override {
    std::string command = absl::StrCat("rm -rf ", dir_);
    ASSERT_EQ(system(command.c_str()), 0);
  }

  // A loader that sees only `env` and no system folders.
  Loader MakeLoader(std::map<std::string, std::string> env,
                    std::vector<std::string>* log = nullptr) {
    LoaderOptions options;
    options.getenv = [env](const char* name) -> std::optional<std::string> {
      auto it = env.find(name);
      if (it == env.end()) return std::nullopt;
      return it->second;
    };
    options.system_manifest_dirs = {};
    if (log != nullptr) {
      options.debug_log = [log](absl::string_view line) {
        log->emplace_back(line);
      };
    }
    return Loader(std::move(options));
  }

  std::string WriteFile(const std::string& name, const std::string& text) {
    std::string path = absl::StrCat(dir_, "/", name);
    std::ofstream(path) << text;
    return path;
  }

  std::string Manifest(const std::string& name, const std::string& library,
                       int major = 1, int minor_min = 0,
                       const std::string& extra = "") {
    return absl::StrCat(R"({"file_format_version": 1, "name": ")", name,
                        R"(", "description": "test", "library_path": ")",
                        library, R"(", "abi": {"major": )", major,
                        R"(, "minor_min": )", minor_min, R"(, "minor_max": )",
                        std::max(3, minor_min), "}", extra, "}");
  }

  std::string dir_;
};

TEST_F(LoaderTest, LoadsByExplicitPath) {
  Loader loader = MakeLoader({});
  auto plugin = loader.Load(HelloLibrary());
  ASSERT_TRUE(plugin.ok()) << plugin.status();
  EXPECT_EQ((*plugin)->name(), "hello");
  EXPECT_EQ((*plugin)->api()->abi_major, BPL_API_MAJOR);
  EXPECT_EQ((*plugin)->found_by(), "explicit path");
}

TEST_F(LoaderTest, LoadsByNameFromEnvironmentList) {
  Loader loader =
      MakeLoader({{"BACKPLANE_PLUGINS",
                   absl::StrCat("other=/nowhere.so,hello=", HelloLibrary())}});
  auto plugin = loader.Load("hello");
  ASSERT_TRUE(plugin.ok()) << plugin.status();
  EXPECT_THAT((*plugin)->found_by(), HasSubstr("BACKPLANE_PLUGINS"));
}

TEST_F(LoaderTest, LoadsByNameFromManifestWithRelativePath) {
  // The manifest names the library relative to its own folder.
  std::string link = absl::StrCat(dir_, "/libhello_copy.so");
  ASSERT_EQ(symlink(HelloLibrary().c_str(), link.c_str()), 0);
  WriteFile("hello.json", Manifest("hello", "libhello_copy.so"));
  Loader loader = MakeLoader({{"BACKPLANE_PLUGIN_PATH", dir_}});
  auto plugin = loader.Load("hello");
  ASSERT_TRUE(plugin.ok()) << plugin.status();
  EXPECT_THAT((*plugin)->found_by(), HasSubstr("hello.json"));
}

TEST_F(LoaderTest, SamePluginTwiceGivesSameObject) {
  Loader loader = MakeLoader(
      {{"BACKPLANE_PLUGINS", absl::StrCat("hello=", HelloLibrary())}});
  auto a = loader.Load("hello");
  auto b = loader.Load("hello");
  auto c = loader.Load(HelloLibrary());
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->get(), b->get());
  EXPECT_EQ(a->get(), c->get());
}

TEST_F(LoaderTest, UnloadIsRefusedWhileInUseThenSucceeds) {
  Loader loader = MakeLoader({});
  auto a = loader.Load(HelloLibrary());
  ASSERT_TRUE(a.ok());
  std::shared_ptr<LoadedPlugin> first = *a;
  std::shared_ptr<LoadedPlugin> second = *a;
  a = absl::UnknownError("dropped");
  absl::Status busy = loader.Unload(first);
  EXPECT_EQ(busy.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(busy.message(), HasSubstr("still in use"));
  EXPECT_NE(first, nullptr);
  second.reset();
  EXPECT_TRUE(loader.Unload(first).ok());
  EXPECT_EQ(first, nullptr);
  // It can be loaded again afterwards.
  auto again = loader.Load(HelloLibrary());
  ASSERT_TRUE(again.ok()) << again.status();
}

TEST_F(LoaderTest, NotFoundListsEveryCandidate) {
  WriteFile("other.json", Manifest("other", "libother.so"));
  Loader loader = MakeLoader({{"BACKPLANE_PLUGIN_PATH", dir_},
                              {"BACKPLANE_PLUGINS", "nope=/no/such/lib.so"}});
  auto plugin = loader.Load("nope");
  ASSERT_FALSE(plugin.ok());
  EXPECT_EQ(plugin.status().code(), absl::StatusCode::kNotFound);
  std::string message(plugin.status().message());
  EXPECT_THAT(message, HasSubstr("no plugin named 'nope'"));
  EXPECT_THAT(message, HasSubstr("1. /no/such/lib.so (BACKPLANE_PLUGINS"));
  EXPECT_THAT(message, HasSubstr("not found"));
  EXPECT_THAT(message, HasSubstr("2. libbackplane_nope.so (the dynamic "
                                 "linker's search path): not found"));
  EXPECT_THAT(message, HasSubstr("BACKPLANE_LOADER_DEBUG"));
}

TEST_F(LoaderTest, RejectsWrongAbiMajorInLibrary) {
  Loader loader = MakeLoader(
      {{"BACKPLANE_PLUGINS",
        absl::StrCat("bad=", FixtureLibrary("wrong_major_plugin"))}});
  auto plugin = loader.Load("bad");
  ASSERT_FALSE(plugin.ok());
  EXPECT_THAT(plugin.status().message(),
              HasSubstr("ABI major version mismatch: the plugin speaks 99.0"));
}

TEST_F(LoaderTest, RejectsWrongAbiMajorInManifestBeforeLoading) {
  WriteFile("future.json", Manifest("future", HelloLibrary(), /*major=*/2));
  std::vector<std::string> log;
  Loader loader = MakeLoader({{"BACKPLANE_PLUGIN_PATH", dir_}}, &log);
  auto plugin = loader.Load("future");
  ASSERT_FALSE(plugin.ok());
  EXPECT_THAT(plugin.status().message(),
              HasSubstr("rejected before loading: ABI major version "
                        "mismatch: the manifest says 2"));
  for (const std::string& line : log) {
    EXPECT_THAT(line, ::testing::Not(HasSubstr("loaded plugin")));
  }
}

TEST_F(LoaderTest, RejectsManifestNeedingNewerFramework) {
  WriteFile("needy.json", Manifest("needy", HelloLibrary(), 1, 5));
  Loader loader = MakeLoader({{"BACKPLANE_PLUGIN_PATH", dir_}});
  auto plugin = loader.Load("needy");
  ASSERT_FALSE(plugin.ok());
  EXPECT_THAT(plugin.status().message(),
              HasSubstr("needs a framework of ABI 1.5 or newer"));
}

TEST_F(LoaderTest, RejectsPluginBuiltWithAnotherSanitizerBeforeLoading) {
  // A sanitizer other than this test's own build, so the test holds under
  // every --config.
  const std::string other = std::string(base::ThisBuildSanitizer()) == "thread"
                                ? "address"
                                : "thread";
  WriteFile("hello.json",
            Manifest("hello", HelloLibrary(), 1, 0,
                     absl::StrCat(R"(, "sanitizer": ")", other, R"(")")));
  Loader loader = MakeLoader({{"BACKPLANE_PLUGIN_PATH", dir_}});
  auto plugin = loader.Load("hello");
  ASSERT_FALSE(plugin.ok());
  EXPECT_THAT(plugin.status().message(),
              HasSubstr(absl::StrCat("built with sanitizer \"", other,
                                     "\" but this framework with \"",
                                     base::ThisBuildSanitizer(), "\"")));
  EXPECT_THAT(plugin.status().message(), HasSubstr("build both the same way"));
}

TEST_F(LoaderTest, UndefinedSanitizerPluginsLoadAnywhere) {
  WriteFile("hello.json", Manifest("hello", HelloLibrary(), 1, 0,
                                   R"(, "sanitizer": "undefined")"));
  Loader loader = MakeLoader({{"BACKPLANE_PLUGIN_PATH", dir_}});
  auto plugin = loader.Load("hello");
  EXPECT_TRUE(plugin.ok()) << plugin.status();
}

TEST_F(LoaderTest, UnknownSanitizerInManifestIsReported) {
  WriteFile("hello.json", Manifest("hello", HelloLibrary(), 1, 0,
                                   R"(, "sanitizer": "memory")"));
  Loader loader = MakeLoader({{"BACKPLANE_PLUGIN_PATH", dir_}});
  auto plugin = loader.Load("hello");
  ASSERT_FALSE(plugin.ok());
  EXPECT_THAT(plugin.status().message(),
              HasSubstr(R"(sanitizer "memory" is not one of)"));
}

TEST_F(LoaderTest, GeneratedManifestRecordsThisBuildsSanitizer) {
  std::ifstream in(Runfile("examples/hello_plugin/hello.json"));
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  auto manifest = ParseManifest(text, "hello.json");
  ASSERT_TRUE(manifest.ok()) << manifest.status() << text;
  // UBSan has no detection macro: this build reads "none" under
  // --config=ubsan while the manifest says "undefined".
  if (manifest->sanitizer != "undefined") {
    EXPECT_EQ(manifest->sanitizer, base::ThisBuildSanitizer());
  }
  EXPECT_EQ(manifest->abi_minor_max, BPL_API_MINOR);
}

TEST_F(LoaderTest, RejectsLibraryWithoutEntrySymbol) {
  Loader loader = MakeLoader({});
  auto plugin = loader.Load(FixtureLibrary("no_entry_plugin"));
  ASSERT_FALSE(plugin.ok());
  EXPECT_THAT(plugin.status().message(),
              HasSubstr("missing symbol BPL_GetApi"));
}

TEST_F(LoaderTest, RejectsNullTable) {
  Loader loader = MakeLoader({});
  auto plugin = loader.Load(FixtureLibrary("null_api_plugin"));
  ASSERT_FALSE(plugin.ok());
  EXPECT_THAT(plugin.status().message(), HasSubstr("BPL_GetApi returned NULL"));
}

TEST_F(LoaderTest, RejectsFileThatIsNotASharedLibrary) {
  std::string fake = WriteFile("libfake.so", "this is not ELF");
  Loader loader = MakeLoader({{"BACKPLANE_PLUGINS", "fake=" + fake}});
  auto plugin = loader.Load("fake");
  ASSERT_FALSE(plugin.ok());
  EXPECT_THAT(plugin.status().message(),
              HasSubstr("not a loadable shared library"));
}

TEST_F(LoaderTest, ReportsBadManifestsInTheFailure) {
  WriteFile("broken.json", "{\"file_format_version\": 1, \"name\": ");
  WriteFile("incomplete.json", R"({"file_format_version": 1, "name": "x"})");
  Loader loader = MakeLoader({{"BACKPLANE_PLUGIN_PATH", dir_}});
  auto plugin = loader.Load("x");
  ASSERT_FALSE(plugin.ok());
  std::string message(plugin.status().message());
  EXPECT_THAT(message, HasSubstr("broken.json: unreadable, skipped: "));
  EXPECT_THAT(message, HasSubstr("JSON 1:"));
  EXPECT_THAT(message, HasSubstr("incomplete.json: missing \"library_path\""));
}

TEST_F(LoaderTest, RejectsDuplicateNamesInOneFolder) {
  WriteFile("a.json", Manifest("hello", HelloLibrary()));
  WriteFile("b.json", Manifest("hello", HelloLibrary()));
  Loader loader = MakeLoader({{"BACKPLANE_PLUGIN_PATH", dir_}});
  auto plugin = loader.Load("hello");
  ASSERT_FALSE(plugin.ok());
  EXPECT_THAT(plugin.status().message(), HasSubstr("duplicate name"));
}

TEST_F(LoaderTest, EarlierFolderShadowsLater) {
  std::string first = absl::StrCat(dir_, "/first");
  std::string second = absl::StrCat(dir_, "/second");
  ASSERT_EQ(mkdir(first.c_str(), 0755), 0);
  ASSERT_EQ(mkdir(second.c_str(), 0755), 0);
  WriteFile("first/hello.json", Manifest("hello", HelloLibrary()));
  WriteFile("second/hello.json", Manifest("hello", "/no/such.so"));
  Loader loader = MakeLoader({{"BACKPLANE_PLUGIN_PATH", first + ":" + second}});
  auto plugin = loader.Load("hello");
  ASSERT_TRUE(plugin.ok()) << plugin.status();
  EXPECT_THAT((*plugin)->found_by(), HasSubstr("first/hello.json"));
}

TEST_F(LoaderTest, ManifestNameMustMatchLibrary) {
  WriteFile("liar.json", Manifest("liar", HelloLibrary()));
  Loader loader = MakeLoader({{"BACKPLANE_PLUGIN_PATH", dir_}});
  auto plugin = loader.Load("liar");
  ASSERT_FALSE(plugin.ok());
  EXPECT_THAT(plugin.status().message(),
              HasSubstr("reports plugin name 'hello', not 'liar'"));
}

TEST_F(LoaderTest, DebugLogDescribesTheSearch) {
  std::vector<std::string> log;
  Loader loader = MakeLoader(
      {{"BACKPLANE_PLUGINS", absl::StrCat("hello=", HelloLibrary())}}, &log);
  ASSERT_TRUE(loader.Load("hello").ok());
  ASSERT_FALSE(log.empty());
  EXPECT_THAT(log.front(), HasSubstr("looking for plugin 'hello'"));
  EXPECT_THAT(log.back(), HasSubstr("loaded plugin 'hello'"));
}

TEST_F(LoaderTest, PrivilegedProcessesIgnoreEnvironment) {
  // The real environment, read by the default getenv hook.
  ASSERT_EQ(setenv("BACKPLANE_PLUGINS",
                   absl::StrCat("hello=", HelloLibrary()).c_str(), 1),
            0);
  LoaderOptions ordinary;
  ordinary.privileged = false;
  ordinary.system_manifest_dirs = {};
  EXPECT_TRUE(Loader(ordinary).Load("hello").ok());

  LoaderOptions privileged;
  privileged.privileged = true;
  privileged.system_manifest_dirs = {};
  auto plugin = Loader(privileged).Load("hello");
  unsetenv("BACKPLANE_PLUGINS");
  ASSERT_FALSE(plugin.ok());
  EXPECT_THAT(plugin.status().message(),
              ::testing::Not(HasSubstr("BACKPLANE_PLUGINS entry")));
}

TEST_F(LoaderTest, DiscoverListsManifestsWithProblems) {
  WriteFile("hello.json", Manifest("hello", HelloLibrary()));
  WriteFile("future.json", Manifest("future", HelloLibrary(), 7));
  WriteFile("ghost.json", Manifest("ghost", "/no/such/lib.so"));
  Loader loader = MakeLoader({{"BACKPLANE_PLUGIN_PATH", dir_}});
  std::vector<DiscoveredPlugin> found = loader.Discover();
  std::map<std::string, std::string> problems;
  for (const auto& d : found) problems[d.name] = d.problem;
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems["hello"], "");
  EXPECT_THAT(problems["future"], HasSubstr("major version mismatch"));
  EXPECT_EQ(problems["ghost"], "library not found");
}

// The loader tests that could block or read without bound run in a child
// (tests/util/child_process.h) with a 20 s limit: a loader that blocks must
// fail the test, not hang it.
constexpr int kChildSeconds = 20;

// Bytes this process has read through read(2) and the like so far.
int64_t BytesRead() {
  std::ifstream io("/proc/self/io");
  std::string key;
  int64_t value = 0;
  while (io >> key >> value) {
    if (key == "rchar:") return value;
  }
  return -1;
}

TEST_F(LoaderTest, FifoManifestIsSkippedAndTheNextFolderIsStillRead) {
  const std::string fifo_dir = absl::StrCat(dir_, "/fifo");
  const std::string good_dir = absl::StrCat(dir_, "/good");
  ASSERT_EQ(mkdir(fifo_dir.c_str(), 0700), 0);
  ASSERT_EQ(mkdir(good_dir.c_str(), 0700), 0);
  const std::string fifo = absl::StrCat(fifo_dir, "/x.json");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  WriteFile("good/hello.json", Manifest("hello", HelloLibrary()));
  const std::string path = absl::StrCat(fifo_dir, ":", good_dir);
  std::optional<std::string> result = tests::RunInChild(
      [&] {
        Loader loader = MakeLoader({{"BACKPLANE_PLUGIN_PATH", path}});
        auto plugin = loader.Load("hello");
        std::string text =
            plugin.ok() ? absl::StrCat("loaded by ", (*plugin)->found_by())
                        : std::string(plugin.status().message());
        for (const DiscoveredPlugin& d : loader.Discover()) {
          absl::StrAppend(&text, "\nproblem: ", d.problem);
        }
        return text;
      },
      std::nullopt, kChildSeconds);
  ASSERT_TRUE(result.has_value()) << "the loader blocked on a FIFO manifest";
  EXPECT_THAT(*result, HasSubstr("loaded by manifest " + good_dir));
  EXPECT_THAT(*result, HasSubstr(absl::StrCat(
                           "manifest ", fifo, ": unreadable, skipped: ", fifo,
                           ": not a regular file (a FIFO)")));
}

TEST_F(LoaderTest, ManifestsThatAreDevicesOrHugeAreRejectedUnread) {
  const std::string zero = absl::StrCat(dir_, "/zero.json");
  ASSERT_EQ(symlink("/dev/zero", zero.c_str()), 0);
  // 100 MB, sparse: cheap to make, expensive to read whole.
  const std::string big = absl::StrCat(dir_, "/big.json");
  ASSERT_EQ(truncate(WriteFile("big.json", "{").c_str(), 100'000'000), 0);
  std::optional<std::string> result = tests::RunInChild(
      [&] {
        Loader loader = MakeLoader({{"BACKPLANE_PLUGIN_PATH", dir_}});
        const int64_t before = BytesRead();
        std::string text;
        for (const DiscoveredPlugin& d : loader.Discover()) {
          absl::StrAppend(&text, "problem: ", d.problem, "\n");
        }
        absl::StrAppend(&text, "read ", BytesRead() - before, " bytes");
        return text;
      },
      // The limit turns reading /dev/zero without bound into a failed
      // child; sanitizers' shadow memory cannot live under it.
      tests::AddressSpaceLimitsWork() ? std::optional<size_t>(size_t{1} << 30)
                                      : std::nullopt,
      kChildSeconds);
  ASSERT_TRUE(result.has_value()) << "reading the manifests did not finish";
  EXPECT_THAT(*result, HasSubstr(absl::StrCat(
                           zero, ": not a regular file (a character device)")));
  EXPECT_THAT(*result,
              HasSubstr(absl::StrCat(big, ": manifest larger than 1 MiB")));
  const size_t at = result->rfind("read ");
  ASSERT_NE(at, std::string::npos);
  // 1 MiB + 1 bytes of big.json, and the text of /proc/self/io itself.
  EXPECT_LE(std::stoll(result->substr(at + 5)), (int64_t{1} << 20) + 4096)
      << *result;
}

TEST_F(LoaderTest, LibraryThatIsNotARegularFileIsRejectedBeforeDlopen) {
  const std::string fifo = absl::StrCat(dir_, "/libfifo.so");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  for (const std::string& library : {fifo, std::string("/dev/zero")}) {
    std::optional<std::string> result = tests::RunInChild(
        [&] {
          Loader loader = MakeLoader(
              {{"BACKPLANE_PLUGINS", absl::StrCat("cpu=", library)}});
          auto plugin = loader.Load("cpu");
          std::string text =
              plugin.ok() ? "loaded" : std::string(plugin.status().message());
          for (const DiscoveredPlugin& d : loader.Discover()) {
            absl::StrAppend(&text, "\nproblem: ", d.problem);
          }
          return text;
        },
        std::nullopt, kChildSeconds);
    ASSERT_TRUE(result.has_value()) << "the loader blocked on " << library;
    const std::string kind =
        library == fifo ? "(a FIFO)" : "(a character device)";
    EXPECT_THAT(*result, HasSubstr(absl::StrCat(
                             library, " (BACKPLANE_PLUGINS entry 'cpu=",
                             library, "'): not a regular file ", kind)));
    EXPECT_THAT(*result, HasSubstr(absl::StrCat(
                             "problem: library: not a regular file ", kind)));
  }
}

TEST_F(LoaderTest, LibrarySymlinkLoopSaysSo) {
  const std::string a = absl::StrCat(dir_, "/liba.so");
  const std::string b = absl::StrCat(dir_, "/libb.so");
  ASSERT_EQ(symlink(b.c_str(), a.c_str()), 0);
  ASSERT_EQ(symlink(a.c_str(), b.c_str()), 0);
  Loader loader = MakeLoader({{"BACKPLANE_PLUGINS", absl::StrCat("cpu=", a)}});
  auto plugin = loader.Load("cpu");
  ASSERT_FALSE(plugin.ok());
  EXPECT_THAT(plugin.status().message(),
              HasSubstr(absl::StrCat(a, " (BACKPLANE_PLUGINS entry 'cpu=", a,
                                     "'): too many levels of symbolic links "
                                     "(ELOOP)")));
  auto by_path = loader.Load(a);
  ASSERT_FALSE(by_path.ok());
  EXPECT_THAT(by_path.status().message(),
              HasSubstr(absl::StrCat("cannot load plugin library ", a,
                                     ": too many levels of symbolic links")));
  EXPECT_THAT(by_path.status().message(),
              ::testing::Not(HasSubstr("no such file")));
}

}  // namespace
}  // namespace backplane::loader
