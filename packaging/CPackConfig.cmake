# The Debian package: `cmake --build --preset release --target package` writes
# build/release/prunescope_<version>_amd64.deb. It holds what the install() rules of app/ and
# resources/ install (the two programs, their man pages, the desktop entry, icons, AppStream
# metainfo and MIME types) plus Debian's copyright and changelog files, and nothing else: the
# test suites install nothing, so a dev build tree makes the same package (CI does that:
# tests/packaging/test-deb.sh).
include(GNUInstallDirs)

find_program(GZIP_EXECUTABLE gzip REQUIRED)
# Debian wants the changelog compressed with no timestamp in it (-n), so the bytes are reproducible.
set(PRUNESCOPE_CHANGELOG_GZ ${CMAKE_BINARY_DIR}/packaging/changelog.gz)
add_custom_command(
  OUTPUT ${PRUNESCOPE_CHANGELOG_GZ}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/packaging
  COMMAND ${GZIP_EXECUTABLE} -9nc ${CMAKE_CURRENT_LIST_DIR}/debian/changelog > ${PRUNESCOPE_CHANGELOG_GZ}
  DEPENDS ${CMAKE_CURRENT_LIST_DIR}/debian/changelog
  COMMENT "Compressing the Debian changelog")
add_custom_target(prunescope_changelog ALL DEPENDS ${PRUNESCOPE_CHANGELOG_GZ})
install(FILES ${CMAKE_CURRENT_LIST_DIR}/debian/copyright ${PRUNESCOPE_CHANGELOG_GZ}
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/prunescope)

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "prunescope")
set(CPACK_PACKAGE_VENDOR "PruneScope")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "workbench for neural-network pruning experiments")
set(CPACK_PACKAGE_CONTACT "PruneScope developers <prunescope@users.noreply.github.com>")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)  # a RelWithDebInfo tree's symbols stay in the build tree
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # prunescope_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/prunescope/prunescope")
# Continuation lines of the long description start with a space, an empty one is " .".
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "${CPACK_PACKAGE_DESCRIPTION_SUMMARY}
 PruneScope loads a model, prunes it with a method from the taxonomy of Cheng,
 Zhang and Shi (A survey on deep neural network pruning, TPAMI 2024), trains
 and fine-tunes it with LibTorch on Fashion-MNIST, CIFAR or your own images, and
 shows accuracy, layer sparsity, masks and measured speed-up of every run.
 .
 Every run is stored in SQLite with its config and seed, so every number can be
 reproduced. The package has the Qt window, prunescope, and the command-line
 program for the same engine, prunescope-cli.")
# dpkg-shlibdeps names the packages of every library the programs link (Qt Widgets, Charts, SQL,
# Svg, LibTorch, libcurl, libarchive, ...). It cannot see what is loaded at run time: Qt's SQLite
# driver is a plugin, and LibTorch's BLAS is whatever libblas.so.3 the alternatives system
# selects, which is only fast with OpenBLAS.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite, libopenblas0-pthread")
# The default dataset, and a font for Qt to draw with on a minimal system.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "dataset-fashion-mnist, fonts-dejavu-core")
include(CPack)
