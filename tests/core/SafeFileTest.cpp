#include "core/SafeFile.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace prunescope;
namespace fs = std::filesystem;

namespace {

class SafeFileTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path()
            / ("prunescope-safefile-" + std::to_string(::getpid()) + "-"
               + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    static std::string slurp(const fs::path& path)
    {
        std::ifstream in(path);
        std::stringstream content;
        content << in.rdbuf();
        return content.str();
    }
    // Everything in the folder but the named files: temporary files left behind would show here.
    size_t entries() const { return size_t(std::distance(fs::directory_iterator(m_dir), fs::directory_iterator())); }

    fs::path m_dir;
};

}  // namespace

TEST_F(SafeFileTest, RefusesAnExistingFileAndReplacesItOnlyWhenAsked)
{
    const fs::path file = m_dir / "run-1.json";
    writeFileSafely(file.string(), FileOverwrite::Refuse, std::string("first\n"));
    EXPECT_EQ(slurp(file), "first\n");
    try {
        writeFileSafely(file.string(), FileOverwrite::Refuse, std::string("second\n"));
        FAIL() << "an existing file was overwritten";
    } catch (const FileExistsError& e) {
        EXPECT_NE(std::string(e.what()).find(file.string() + " already exists"), std::string::npos) << e.what();
    }
    EXPECT_EQ(slurp(file), "first\n");
    writeFileSafely(file.string(), FileOverwrite::Replace, std::string("third\n"));
    EXPECT_EQ(slurp(file), "third\n");
    EXPECT_EQ(entries(), 1u) << "no temporary file is left";
}

TEST_F(SafeFileTest, ASymlinkAtTheDestinationIsReplacedNeverFollowed)
{
    const fs::path victim = m_dir / "victim.txt";
    std::ofstream(victim) << "precious\n";
    const fs::path link = m_dir / "out.csv";
    fs::create_symlink(victim, link);
    EXPECT_THROW(writeFileSafely(link.string(), FileOverwrite::Refuse, std::string("x")), FileExistsError);
    writeFileSafely(link.string(), FileOverwrite::Replace, std::string("exported\n"));
    EXPECT_EQ(slurp(victim), "precious\n");
    EXPECT_FALSE(fs::is_symlink(link));
    EXPECT_EQ(slurp(link), "exported\n");
    // A dangling symlink is something at the destination too.
    const fs::path dangling = m_dir / "dangling.pt";
    fs::create_symlink(m_dir / "nowhere" / "file", dangling);
    EXPECT_THROW(writeFileSafely(dangling.string(), FileOverwrite::Refuse, std::string("x")), FileExistsError);
    EXPECT_FALSE(fs::exists(m_dir / "nowhere"));
}

TEST_F(SafeFileTest, AFailedWriteLeavesTheOldFileAndNoTemporaryFile)
{
    const fs::path file = m_dir / "model.pt";
    writeFileSafely(file.string(), FileOverwrite::Refuse, std::string("old"));
    try {
        writeFileSafely(file.string(), FileOverwrite::Replace,
                        [](const std::string&) { throw std::runtime_error("disk full"); });
        FAIL() << "the writer's failure was swallowed";
    } catch (const std::runtime_error& e) {
        EXPECT_EQ(std::string(e.what()), "could not write " + file.string() + ": disk full");
    }
    EXPECT_EQ(slurp(file), "old");
    EXPECT_EQ(entries(), 1u);
}

TEST_F(SafeFileTest, NewFilesGetThePermissionsOfAPlainCreateAndMissingFoldersAreMade)
{
    const mode_t previous = ::umask(0027);
    const fs::path file = m_dir / "deep" / "er" / "run.json";
    writeFileSafely(file.string(), FileOverwrite::Refuse, std::string("{}"));
    ::umask(previous);
    struct stat facts {};
    ASSERT_EQ(::stat(file.c_str(), &facts), 0);
    EXPECT_EQ(facts.st_mode & 0777, 0640u) << "0666 less the umask, not mkstemp's 0600";
}
